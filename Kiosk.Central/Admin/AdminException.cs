namespace Kiosk.Central.Admin;

/// <summary>An administration request refused for a reason the user can act on (bad input, wrong person, unknown
/// worker). The CLI prints the message and exits with code 2; nothing has been written.</summary>
internal sealed class AdminException : Exception
{
    public AdminException()
    {
    }

    public AdminException(string message)
        : base(message)
    {
    }

    public AdminException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
