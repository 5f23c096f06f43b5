using System.Net.Sockets;
using System.Text.Json;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>
/// One-line descriptions of the failures a controller expects from the API server and the network, so that logs
/// say "connection refused" once per retry instead of printing a stack trace each time.
/// </summary>
public static class KubernetesErrors
{
    /// <summary>Failures worth a retry: the API server refused, timed out, or could not be reached, or a credential plugin failed.</summary>
    public static bool IsTransient(Exception exception) => exception is KubernetesApiException or k8s.Autorest.HttpOperationException
        or k8s.KubernetesException or k8s.Exceptions.KubeConfigException or HttpRequestException or TimeoutException or IOException or SocketException;

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
            HttpRequestException http => $"cannot reach the API server: {FirstLine(http.InnerException?.Message ?? http.Message)}",
            k8s.Autorest.HttpOperationException operation when operation.Response is { } response =>
                $"{operation.Request?.Method} {operation.Request?.RequestUri?.AbsolutePath} failed: {(int)response.StatusCode} {response.StatusCode}{StatusMessage(response.Content)}",
            k8s.Exceptions.KubeConfigException config => $"credentials: {FirstLine(config.Message)}",
            _ => FirstLine(exception.Message),
        };
    }

    /// <summary>
    /// ": " and the message of the metav1.Status the API server answered with, which says what to fix (the RBAC rule a
    /// request lacks, the field it refused); empty when the body is no Status (a proxy's page) or has no message.
    /// </summary>
    private static string StatusMessage(string? body)
    {
        try
        {
            return JsonSerializer.Deserialize<KubernetesStatus>(body ?? "", KubernetesJson.Options)?.Message is { Length: > 0 } message ? $": {FirstLine(message)}" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>The first line of a message, at most 300 characters: library messages sometimes carry a whole inner exception.</summary>
    internal static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
