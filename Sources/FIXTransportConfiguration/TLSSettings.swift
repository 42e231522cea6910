/// TLS for an acceptor or an initiator, from QuickFIX-style settings: certificate and key
/// in PEM files, a CA to trust, mutual authentication, and the lowest protocol version.
/// Plain values: FIXTransport makes SwiftNIO's contexts of them.
public struct TLSSettings: Sendable, Hashable {
    public enum Version: String, Sendable, Hashable {
        case tls12 = "TLSv1.2"
        case tls13 = "TLSv1.3"
    }

    public var certificateFile: String?
    public var privateKeyFile: String?
    /// CA certificates to trust for the peer (QuickFIX's CertificationAuthoritiesFile).
    public var certificateAuthoritiesFile: String?
    /// Acceptor: require and verify a client certificate. Initiator: verify the server.
    public var verifyPeer: Bool
    /// Initiator only: the name the server's certificate must carry; `nil` skips the name check.
    public var serverHostname: String?
    public var minimumVersion: Version

    public init(certificateFile: String? = nil, privateKeyFile: String? = nil, certificateAuthoritiesFile: String? = nil,
                verifyPeer: Bool = false, serverHostname: String? = nil, minimumVersion: Version = .tls12) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.certificateAuthoritiesFile = certificateAuthoritiesFile
        self.verifyPeer = verifyPeer
        self.serverHostname = serverHostname
        self.minimumVersion = minimumVersion
    }
}
