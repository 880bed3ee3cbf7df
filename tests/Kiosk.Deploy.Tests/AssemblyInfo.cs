using System.Runtime.Versioning;

// The kiosk and its install scripts are Linux-only (Raspberry Pi OS, Debian); so are these tests.
[assembly: SupportedOSPlatform("linux")]
