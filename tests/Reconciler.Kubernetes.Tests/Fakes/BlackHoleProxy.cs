using System.Net;
using System.Net.Sockets;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>
/// A TCP relay on the loopback interface to another port that can turn into a black hole: what a dead API server node,
/// or a load balancer that forgets a connection, looks like to a client. Connections stay open, but from then on every
/// byte in either direction is dropped, so no reset and no end of stream ever tells the client that its peer is gone.
/// </summary>
public sealed class BlackHoleProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _relays = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private volatile bool _dropping;

    private BlackHoleProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The relay's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static BlackHoleProxy To(Uri target) => new(target.Port);

    /// <summary>From now on, drops everything in both directions and keeps every connection open.</summary>
    public void BlackHole() => _dropping = true;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Task[] relays;
        lock (_gate)
        {
            relays = [.. _relays];
        }

        await Task.WhenAll([_accepting, .. relays]);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                lock (_gate)
                {
                    _relays.Add(RelayAsync(client));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
                await Task.WhenAll(PumpAsync(client.GetStream(), server.GetStream()), PumpAsync(server.GetStream(), client.GetStream()));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // One side went away or the proxy is stopping.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stopping.Token)) > 0)
        {
            if (!_dropping)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }

        if (!_dropping)
        {
            to.Socket.Shutdown(SocketShutdown.Send);
        }
    }
}
