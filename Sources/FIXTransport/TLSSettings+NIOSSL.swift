import FIXTransportConfiguration
import NIOSSL

/// SwiftNIO's TLS contexts made of the settings.
extension TLSSettings {
    private var nioVersion: TLSVersion { minimumVersion == .tls13 ? .tlsv13 : .tlsv12 }

    /// The server side's context, built once and shared by every connection.
    public func makeServerContext() throws -> NIOSSLContext {
        try NIOSSLContext(configuration: makeServerConfiguration())
    }

    /// The server side's configuration: the certificate and key, the lowest version, and the
    /// client certificates asked for (the admin console serves with the same).
    public func makeServerConfiguration() throws -> TLSConfiguration {
        guard let certificateFile, let privateKeyFile else {
            throw TLSSettingsError("an acceptor with TLS needs a certificate file and a private key file")
        }
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)))
        configuration.minimumTLSVersion = nioVersion
        if let certificateAuthoritiesFile { configuration.trustRoots = .file(certificateAuthoritiesFile) }
        configuration.certificateVerification = verifyPeer ? .noHostnameVerification : .none
        return configuration
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
