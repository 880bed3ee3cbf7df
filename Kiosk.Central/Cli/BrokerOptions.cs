using System.CommandLine;
using Kiosk.Sync.Mqtt;

namespace Kiosk.Central.Cli;

/// <summary>How the centre reaches the broker; the password comes from the environment so it never shows in `ps`.</summary>
internal sealed class BrokerOptions
{
    public Option<string> Host { get; } = new("--broker") { Description = "代理服务器 · MQTT broker host", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int> Port { get; } = new("--port") { Description = "端口 · broker port", DefaultValueFactory = _ => 1883 };

    public Option<string?> Username { get; } = new("--username") { Description = "用户名 · broker user (password from env KIOSK_CENTRAL_MQTT_PASSWORD)" };

    public Option<string?> Ca { get; } = new("--ca") { Description = "CA 证书 · CA file for TLS (with --cert/--key for a client certificate)" };

    public Option<string?> Cert { get; } = new("--cert") { Description = "客户端证书 · client certificate (PEM)" };

    public Option<string?> Key { get; } = new("--key") { Description = "客户端私钥 · client key (PEM)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Host, Port, Username, Ca, Cert, Key })
        {
            command.Options.Add(option);
        }
    }

    public MqttClientOptions Read(ParseResult parse, string clientId)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new MqttClientOptions
        {
            Host = parse.GetValue(Host)!,
            Port = parse.GetValue(Port),
            ClientId = clientId,
            Username = parse.GetValue(Username),
            Password = Environment.GetEnvironmentVariable("KIOSK_CENTRAL_MQTT_PASSWORD"),
            Tls = parse.GetValue(Ca) is { } ca ? new MqttTls(ca, parse.GetValue(Cert), parse.GetValue(Key)) : null,
        };
    }
}
