namespace Kiosk.Device.Devices.Fingerprint;

/// <summary>Instruction codes of the R30x/R50x/AS608 family (hardware-protocols.md §1 "Instructions").</summary>
public enum R30xInstruction : byte
{
    GenImg = 0x01,
    Img2Tz = 0x02,
    Match = 0x03,
    Search = 0x04,
    RegModel = 0x05,
    Store = 0x06,
    LoadChar = 0x07,
    UpChar = 0x08,
    DownChar = 0x09,
    DeleteChar = 0x0C,
    Empty = 0x0D,
    SetSysPara = 0x0E,
    ReadSysPara = 0x0F,
    VfyPwd = 0x13,
    TemplateNum = 0x1D,
    ReadIndexTable = 0x1F,
    AuraLedConfig = 0x35,
    CheckSensor = 0x36,
    HandShake = 0x40,
}

/// <summary>Packet identifiers (§1 "Packet").</summary>
public enum R30xPid : byte
{
    Command = 0x01,
    Data = 0x02,
    Ack = 0x07,
    EndOfData = 0x08,
}

/// <summary>Every confirmation code of §1 "Confirmation codes", plus host-side outcomes above 0xFF
/// (timeout, unreadable reply, port gone) so that every call ends in one typed value.</summary>
public enum R30xCode
{
    Ok = 0x00,
    ReceiveError = 0x01,
    NoFinger = 0x02,
    CaptureFailed = 0x03,
    ImageDisordered = 0x06,
    TooFewFeatures = 0x07,
    NoMatch = 0x08,
    NotFound = 0x09,
    MergeFailed = 0x0A,
    PageOutOfRange = 0x0B,
    TemplateInvalid = 0x0C,
    TemplateUploadError = 0x0D,
    CannotReceivePackets = 0x0E,
    ImageUploadError = 0x0F,
    DeleteFailed = 0x10,
    ClearFailed = 0x11,
    WrongPassword = 0x13,
    NoValidImage = 0x15,
    FlashWriteError = 0x18,
    NoDefinition = 0x19,
    InvalidRegister = 0x1A,
    BadRegisterConfig = 0x1B,
    WrongNotepadPage = 0x1C,
    CommPortFailure = 0x1D,
    LibraryFull = 0x1F,
    BadAddress = 0x20,
    PasswordNotVerified = 0x21,
    TemplateEmpty = 0x22,
    LibraryEmpty = 0x24,
    ModuleTimeout = 0x26,
    AlreadyEnrolled = 0x27,
    SensorError = 0x29,
    Unsupported = 0xFC,
    HardwareError = 0xFD,
    ExecutionFailed = 0xFE,

    /// <summary>Host side: no reply within the read timeout.</summary>
    Timeout = 0x100,

    /// <summary>Host side: the reply was corrupt (checksum, length, wrong packet type).</summary>
    BadReply = 0x101,

    /// <summary>Host side: the serial port disappeared.</summary>
    PortGone = 0x102,

    /// <summary>A confirmation code this table does not know (kept numerically in the detail text).</summary>
    Unknown = 0x103,
}

public static class R30xCodes
{
    public static R30xCode FromByte(byte code) =>
        Enum.IsDefined(typeof(R30xCode), (int)code) ? (R30xCode)code : R30xCode.Unknown;

    /// <summary>What the kiosk does with each code: the contract's <see cref="FingerStatus"/>.</summary>
    public static FingerStatus ToStatus(R30xCode code) => code switch
    {
        R30xCode.Ok => FingerStatus.Ok,
        R30xCode.NoFinger => FingerStatus.NoFinger,
        R30xCode.NoMatch or R30xCode.NotFound or R30xCode.TemplateEmpty or R30xCode.LibraryEmpty => FingerStatus.NoMatch,
        R30xCode.CaptureFailed or R30xCode.ImageDisordered or R30xCode.NoValidImage => FingerStatus.CaptureFailed,
        R30xCode.TooFewFeatures => FingerStatus.TooFewFeatures,
        R30xCode.MergeFailed => FingerStatus.MergeFailed,
        R30xCode.LibraryFull => FingerStatus.LibraryFull,
        R30xCode.Timeout or R30xCode.ModuleTimeout => FingerStatus.Timeout,
        R30xCode.ReceiveError or R30xCode.CommPortFailure or R30xCode.CannotReceivePackets or R30xCode.BadReply
            or R30xCode.PortGone => FingerStatus.CommunicationError,
        _ => FingerStatus.ModuleError,
    };

    /// <summary>Text for logs and the probe (§1 wording).</summary>
    public static string Describe(R30xCode code) => code switch
    {
        R30xCode.Ok => "ok",
        R30xCode.ReceiveError => "error receiving the packet",
        R30xCode.NoFinger => "no finger on the sensor",
        R30xCode.CaptureFailed => "failed to capture the image",
        R30xCode.ImageDisordered => "image too disordered",
        R30xCode.TooFewFeatures => "too few feature points",
        R30xCode.NoMatch => "fingers do not match",
        R30xCode.NotFound => "no matching template in the library",
        R30xCode.MergeFailed => "failed to merge: different fingers",
        R30xCode.PageOutOfRange => "page id beyond the library",
        R30xCode.TemplateInvalid => "error reading the template, or invalid template",
        R30xCode.TemplateUploadError => "error uploading the template",
        R30xCode.CannotReceivePackets => "module cannot receive the following data packets",
        R30xCode.ImageUploadError => "error uploading the image",
        R30xCode.DeleteFailed => "failed to delete the template",
        R30xCode.ClearFailed => "failed to clear the library",
        R30xCode.WrongPassword => "wrong password",
        R30xCode.NoValidImage => "no valid primary image",
        R30xCode.FlashWriteError => "error writing flash",
        R30xCode.NoDefinition => "no definition error",
        R30xCode.InvalidRegister => "invalid register number",
        R30xCode.BadRegisterConfig => "incorrect register configuration",
        R30xCode.WrongNotepadPage => "wrong notepad page number",
        R30xCode.CommPortFailure => "failed to operate the communication port",
        R30xCode.LibraryFull => "fingerprint library is full",
        R30xCode.BadAddress => "address is incorrect",
        R30xCode.PasswordNotVerified => "password must be verified first",
        R30xCode.TemplateEmpty => "template is empty",
        R30xCode.LibraryEmpty => "fingerprint library is empty",
        R30xCode.ModuleTimeout => "module timeout",
        R30xCode.AlreadyEnrolled => "fingerprint already exists",
        R30xCode.SensorError => "sensor hardware error",
        R30xCode.Unsupported => "unsupported command",
        R30xCode.HardwareError => "hardware error",
        R30xCode.ExecutionFailed => "command execution failure",
        R30xCode.Timeout => "no reply from the module (timeout)",
        R30xCode.BadReply => "corrupt reply from the module",
        R30xCode.PortGone => "serial port disappeared",
        _ => "unknown confirmation code",
    };
}
