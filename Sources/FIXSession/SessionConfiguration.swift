import FIXCodec
import FIXDictionary

/// How one session behaves: QuickFIX's session settings, typed. The settings file reader
/// (`FIXSettings`) builds these; tests build them directly.
public struct SessionConfiguration: Sendable {
    public var id: SessionID
    public var role: SessionRole
    /// The dictionary messages are validated against; `nil` turns validation off
    /// (QuickFIX's `UseDataDictionary=N`).
    public var dictionary: FIXDataDictionary?
    public var validation: FIXValidationOptions
    /// Seconds between heartbeats. An initiator proposes it in its Logon; an acceptor
    /// takes the initiator's value.
    public var heartBtInt: Int
    /// Seconds to wait for the Logon (acceptor) or the Logon reply (initiator).
    public var logonTimeout: Int
    /// Seconds to wait for the Logout reply before disconnecting.
    public var logoutTimeout: Int
    public var resetOnLogon: Bool
    public var resetOnLogout: Bool
    public var resetOnDisconnect: Bool
    /// Send a ResendRequest for a gap even when one is already outstanding.
    public var sendRedundantResendRequests: Bool
    /// Check that the counterparty's CompIDs are the ones configured (QuickFIX's CheckCompID).
    public var checkCompID: Bool
    /// Precision of the SendingTime this engine writes.
    public var timestampPrecision: FIXTimePrecision
    /// When the session may be logged on; `nil` means always.
    public var schedule: SessionSchedule?
    /// Acceptor: checks the Username and Password of each Logon; `nil` asks for none.
    public var logonAuthenticator: (any LogonAuthenticator)?
    /// Initiator: the Username and Password its Logon carries; `nil` sends none.
    public var logonCredentials: LogonCredentials?

    public init(id: SessionID, role: SessionRole, dictionary: FIXDataDictionary? = nil,
                validation: FIXValidationOptions = FIXValidationOptions(), heartBtInt: Int = 30) {
        self.id = id
        self.role = role
        self.dictionary = dictionary
        self.validation = validation
        self.heartBtInt = heartBtInt
        logonTimeout = 10
        logoutTimeout = 2
        resetOnLogon = false
        resetOnLogout = false
        resetOnDisconnect = false
        sendRedundantResendRequests = false
        checkCompID = true
        timestampPrecision = .milliseconds
        schedule = nil
        logonAuthenticator = nil
        logonCredentials = nil
    }
}
