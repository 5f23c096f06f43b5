using Reconciler.Kubernetes.Events;

namespace Reconciler.Kubernetes.Tests.Events;

public sealed class KeyedGateTests
{
    [Fact]
    public async Task While_one_key_is_held_every_other_key_enters_at_once()
    {
        var gate = new KeyedGate();
        using (await gate.EnterAsync("held", CancellationToken.None))
        {
            // With 64 hashed stripes about 1,000 other keys would almost surely include one sharing the held key's stripe.
            foreach (var key in Enumerable.Range(0, 1000).Select(i => Guid.NewGuid().ToString()))
            {
                var entering = gate.EnterAsync(key, CancellationToken.None);
                entering.IsCompleted.Should().BeTrue($"{key} is not the held key");
                (await entering).Dispose();
            }
        }

        gate.Count.Should().Be(0, "no gate is kept for a key no one holds");
    }

    [Fact]
    public async Task The_same_key_waits_until_its_holder_leaves_then_enters_in_turn()
    {
        var gate = new KeyedGate();
        var first = await gate.EnterAsync("agent", CancellationToken.None);
        var second = gate.EnterAsync("agent", CancellationToken.None);
        second.IsCompleted.Should().BeFalse("the key is held");
        gate.Count.Should().Be(1);

        first.Dispose();
        first.Dispose(); // a second dispose must not let a third holder in beside the second
        using (await second.WaitAsync(TimeSpan.FromSeconds(10)))
            gate.EnterAsync("agent", CancellationToken.None).IsCompleted.Should().BeFalse("the second holder has it now");
    }

    [Fact]
    public async Task A_wait_that_is_cancelled_leaves_no_trace()
    {
        var gate = new KeyedGate();
        var holder = await gate.EnterAsync("agent", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync("agent", cancel.Token);
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        holder.Dispose();
        gate.Count.Should().Be(0);
        (await gate.EnterAsync("agent", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
