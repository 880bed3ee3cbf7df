using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync.Mqtt;

/// <summary>The libmosquitto callbacks. They run on the library's network thread, one at a time per client: static
/// [UnmanagedCallersOnly] methods (nothing for the GC to keep alive) that find the client through the GCHandle
/// passed as obj, copy what they need, hand it to a channel or a completion source and return. Nothing may escape
/// them (libmosquitto-notes.md, pitfalls 1, 2 and 5).</summary>
public sealed partial class MosquittoClient
{
    private static MosquittoClient? From(nint obj) =>
        obj == 0 ? null : GCHandle.FromIntPtr(obj).Target as MosquittoClient;

    [UnmanagedCallersOnly]
    private static void OnConnect(nint mosq, nint obj, int rc, int flags, nint props)
    {
        try
        {
            From(obj)?.HandleConnect(rc, flags);
        }
        catch (Exception ex)
        {
            LastResort(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnDisconnect(nint mosq, nint obj, int rc)
    {
        try
        {
            From(obj)?.HandleDisconnect(rc);
        }
        catch (Exception ex)
        {
            LastResort(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnPublish(nint mosq, nint obj, int mid, int reason, nint props)
    {
        try
        {
            if (From(obj) is { } client)
            {
                Complete(client._pendingPublishes, client._earlyPublishes, mid, reason);
            }
        }
        catch (Exception ex)
        {
            LastResort(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnSubscribe(nint mosq, nint obj, int mid, int qosCount, int* granted)
    {
        try
        {
            if (From(obj) is { } client)
            {
                var worst = 0;
                for (var i = 0; i < qosCount; i++)
                {
                    worst = Math.Max(worst, granted[i]);
                }

                // A re-subscribe of HandleConnect has no waiter: answer it here, or it would be parked as "early"
                // for ever and could later answer a SubscribeAsync that was given the same (wrapped) message id.
                if (client._resubscribes.TryRemove(mid, out var filter))
                {
                    client.HandleResubscribed(filter, worst);
                }
                else
                {
                    Complete(client._pendingSubscribes, client._earlySubscribes, mid, worst);
                }
            }
        }
        catch (Exception ex)
        {
            LastResort(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnMessage(nint mosq, nint obj, Native.MosquittoMessage* message)
    {
        try
        {
            if (From(obj) is { } client && message != null)
            {
                // Pitfall 5: topic and payload are valid only during this call; copy them out.
                var topic = Marshal.PtrToStringUTF8(message->Topic) ?? string.Empty;
                var payload = new ReadOnlySpan<byte>((void*)message->Payload, Math.Max(0, message->PayloadLen));
                client._messages.Writer.TryWrite(MqttMessage.Copy(topic, payload, message->Qos, message->Retain != 0));
            }
        }
        catch (Exception ex)
        {
            LastResort(ex);
        }
    }

    private void HandleConnect(int rc, int flags)
    {
        if (rc != 0)
        {
            _log.LogWarning("Broker {Host}:{Port} refused the connection of {ClientId}: {Reason}",
                _options.Host, _options.Port, _options.ClientId, Native.DescribeReason(rc));
            return;
        }

        // Re-subscribe on every connection (libmosquitto-notes.md: a killed broker forgets subscriptions). Their
        // SUBACKs are read by this same network thread after this callback returns, so each message id is known
        // before its answer can arrive. SUBACKs of an earlier connection never come (libmosquitto does not resend a
        // SUBSCRIBE), so what that connection left unanswered is dropped first.
        _resubscribes.Clear();
        foreach (var (filter, qos) in _subscriptions)
        {
            var subRc = Native.Subscribe(_mosq, out var mid, filter, qos);
            if (subRc == Native.ErrSuccess)
            {
                _resubscribes[mid] = filter;
            }
            else
            {
                _log.LogWarning("Re-subscribing {Filter} failed: {Error}", filter, Native.Describe(subRc));
            }
        }

        _connected = true;
        Interlocked.Increment(ref _connectCount);
        _connectedSignal.TrySetResult();
        _connectionChanges.Writer.TryWrite(true);
        _log.LogInformation("Connected to {Host}:{Port} as {ClientId} (session present: {SessionPresent})",
            _options.Host, _options.Port, _options.ClientId, (flags & 1) != 0);
    }

    private void HandleResubscribed(string filter, int granted)
    {
        if (granted >= 0x80)
        {
            // MQTT 5 SUBACK reason codes of 0x80 and above are refusals (e.g. 0x87 not authorised): nothing arrives
            // on that filter until the next connection tries again.
            _log.LogWarning("The broker refused the re-subscription to {Filter} of {ClientId}: {Reason}",
                filter, _options.ClientId, Native.DescribeReason(granted));
        }
        else
        {
            _log.LogDebug("Re-subscribed to {Filter} (granted QoS {Qos})", filter, granted);
        }
    }

    private void HandleDisconnect(int rc)
    {
        // A fresh signal before the flag drops, so a waiter never sees "not connected" with a completed signal.
        if (_connected)
        {
            _connectedSignal = NewSignal();
        }

        _connected = false;

        _connectionChanges.Writer.TryWrite(false);
        if (rc != 0)
        {
            _log.LogWarning("Lost connection to {Host}:{Port}: {Error}; reconnecting with backoff",
                _options.Host, _options.Port, Native.Describe(rc));
        }
    }

    private static void LastResort(Exception ex)
    {
        // Pitfall 2: nothing may escape an unmanaged callback. Standard error is the only thing left that
        // cannot itself throw into the library's thread.
        try
        {
            Console.Error.WriteLine("mqtt callback failed: " + ex);
        }
        catch
        {
            // Nothing else is safe here.
        }
    }
}
