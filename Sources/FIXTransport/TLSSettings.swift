import NIOSSL

/// TLS for an acceptor or an initiator, from QuickFIX-style settings: certificate and key
/// in PEM files, a CA to trust, mutual authentication, and the lowest protocol version.
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

    private var nioVersion: TLSVersion { minimumVersion == .tls13 ? .tlsv13 : .tlsv12 }

    /// The server side's context, built once and shared by every connection.
    public func makeServerContext() throws -> NIOSSLContext {
        guard let certificateFile, let privateKeyFile else {
            throw TLSSettingsError("an acceptor with TLS needs a certificate file and a private key file")
        }
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)))
        configuration.minimumTLSVersion = nioVersion
        if let certificateAuthoritiesFile { configuration.trustRoots = .file(certificateAuthoritiesFile) }
        configuration.certificateVerification = verifyPeer ? .noHostnameVerification : .none
        return try NIOSSLContext(configuration: configuration)
    }

    public func makeClientContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = nioVersion
        if let certificateFile, let privateKeyFile {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
        }
        if let certificateAuthoritiesFile { configuration.trustRoots = .file(certificateAuthoritiesFile) }
        configuration.certificateVerification = verifyPeer ? (serverHostname == nil ? .noHostnameVerification : .fullVerification) : .none
        return try NIOSSLContext(configuration: configuration)
    }
}

public struct TLSSettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
