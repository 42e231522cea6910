import Foundation
import Testing
import TestSupport

/// `wellhead serve` over TLS against independent TLS stacks: QuickFIX's SSL sockets (OpenSSL)
/// and the `openssl s_client` command, with certificates from `certs/make-dev-certs.sh`.
@Suite(.serialized) struct TLSInteropTests {
    /// A development CA with server and client certificates, made by the script the README
    /// documents, in a folder of its own.
    struct Certificates {
        let folder: String
        var ca: String { folder + "/ca.pem" }
        var server: String { folder + "/server.pem" }
        var serverKey: String { folder + "/server.key" }
        var client: String { folder + "/client.pem" }
        var clientKey: String { folder + "/client.key" }

        init(in directory: TemporaryDirectory, named name: String) throws {
            folder = directory.path(name)
            let result = try Shell.run("sh '\(TestDictionaries.path("certs/make-dev-certs.sh"))' '\(folder)'")
            guard result.status == 0 else { throw QuickFIXPeer.Failure(description: "make-dev-certs.sh: \(result.output)") }
        }
    }

    /// Wellhead's echo acceptor with TLS, requiring a client certificate signed by `certificates.ca`.
    private func mutualTLSAcceptor(_ directory: TemporaryDirectory, _ certificates: Certificates, port: Int) throws -> BackgroundProcess {
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port, extra: """
            SocketUseSSL=Y
            ServerCertificateFile=\(certificates.server)
            ServerCertificateKeyFile=\(certificates.serverKey)
            CertificationAuthoritiesFile=\(certificates.ca)
            CertificateVerifyLevel=1
            """)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config],
                                           log: directory.path("wellhead.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        return server
    }

    /// `openssl s_client` with the given client certificate: sends a Logon from OMS1 and
    /// returns what came back (FIX bytes with SOH shown as `|`) and s_client's own report,
    /// once a Logon has come back or the server has ended the connection (`ended`: s_client
    /// exited by itself, before its input closed).
    private func sClientLogon(port: Int, ca: String, certificate: String?, key: String?,
                              in directory: TemporaryDirectory) throws -> (output: String, ended: Bool) {
        var arguments = ["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", ca, "-verify_return_error"]
        if let certificate, let key { arguments += ["-cert", certificate, "-key", key] }
        let client = try BackgroundProcess("/usr/bin/env", arguments, log: directory.path("s_client-\(UUID().uuidString.prefix(8)).log"),
                                           standardInput: true)
        try client.write(Counterparty().logon(at: TestClock.wall()))
        _ = client.waitForOutput(timeout: 15) { $0.contains("\u{1}35=A\u{1}") }
        let ended = !client.process.isRunning
        client.closeInput()
        _ = client.wait(timeout: 10)
        return (client.output.replacingOccurrences(of: "\u{1}", with: "|"), ended)
    }

    @Test func quickFIXInitiatorOverMutualTLS() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try Certificates(in: directory, named: "certs")
        let port = freePort()
        let server = try mutualTLSAcceptor(directory, certificates, port: port)
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: "OMS1", target: "WELLHEAD",
                                                 port: port, extra: """
            SocketUseSSL=Y
            ClientCertificateFile=\(certificates.client)
            ClientCertificateKeyFile=\(certificates.clientKey)
            CertificationAuthoritiesFile=\(certificates.ca)
            CertificateVerifyLevel=1
            """)
        let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["tls-initiator", settings, "500"],
                                         log: directory.path("peer.log"))
        let status = peer.wait(timeout: 90)
        #expect(status == 0, "peer: \(peer.output)\nwellhead: \(server.output.suffix(3000))")
        #expect(peer.output.contains("echoed 500 of 500"))
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }

    /// QuickFIX's SSL acceptor presenting `presented`'s server certificate, then a Wellhead
    /// echo initiator that trusts only `trusted`'s CA and checks the name `localhost`.
    private func wellheadInitiatorToQuickFIXTLSAcceptor(_ directory: TemporaryDirectory, presented: Certificates,
                                                         trusted: Certificates, orders: Int,
                                                         initiatorExtra: String = "") throws -> (peer: BackgroundProcess, client: BackgroundProcess) {
        let port = freePort()
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "acceptor", sender: "VENUE", target: "WELLHEAD",
                                                 port: port, extra: """
            SocketUseSSL=Y
            ServerCertificateFile=\(presented.server)
            ServerCertificateKeyFile=\(presented.serverKey)
            CertificateVerifyLevel=0
            """)
        let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["tls-acceptor", settings, "\(orders)"], log: directory.path("peer.log"))
        #expect(peer.waitForOutput("listening"), "\(peer.output)")
        let client = try BackgroundProcess(
            WellheadProcess.executable.path,
            ["serve", "--config", try WellheadProfiles.echoInitiator(in: directory, port: port, sender: "WELLHEAD", target: "VENUE", extra: """
                SocketUseSSL=Y
                CertificationAuthoritiesFile=\(trusted.ca)
                CertificateVerifyLevel=1
                SSLServerHostname=localhost
                \(initiatorExtra)
                """)],
            log: directory.path("wellhead.log"))
        return (peer, client)
    }

    @Test func wellheadInitiatorVerifiesAQuickFIXTLSAcceptor() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try Certificates(in: directory, named: "certs")
        let (peer, client) = try wellheadInitiatorToQuickFIXTLSAcceptor(directory, presented: certificates, trusted: certificates,
                                                                        orders: 500, initiatorExtra: "SSLProtocol=TLSv1.2")
        let status = peer.wait(timeout: 90)
        #expect(status == 0, "peer: \(peer.output)\nwellhead: \(client.output.suffix(3000))")
        #expect(peer.output.contains("echoed 500 of 500"))
        client.signal(SIGTERM)
        #expect(client.wait(timeout: 10) == 0, "\(client.output.suffix(2000))")
    }

    @Test func wellheadInitiatorRefusesAServerItDoesNotTrust() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // The acceptor presents a certificate from a CA the initiator does not trust.
        let (peer, client) = try wellheadInitiatorToQuickFIXTLSAcceptor(
            directory, presented: try Certificates(in: directory, named: "stranger"),
            trusted: try Certificates(in: directory, named: "trusted"), orders: 1)
        #expect(client.waitForOutput("CERTIFICATE_VERIFY_FAILED", timeout: 15), "\(client.output.suffix(2000))")
        #expect(!client.output.contains("logged on"))
        client.signal(SIGTERM)
        #expect(client.wait(timeout: 10) == 0)
        peer.signal(SIGTERM)
        _ = peer.wait(timeout: 10)
    }

    @Test func acceptorRefusesClientsWithoutATrustedCertificate() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try Certificates(in: directory, named: "certs")
        let stranger = try Certificates(in: directory, named: "stranger")
        let port = freePort()
        let server = try mutualTLSAcceptor(directory, certificates, port: port)

        // The control: the CA's own client certificate logs on.
        let trusted = try sClientLogon(port: port, ca: certificates.ca, certificate: certificates.client, key: certificates.clientKey,
                                       in: directory).output
        #expect(trusted.contains("|35=A|"), "\(trusted)")
        // A certificate from another CA, and no certificate at all: the server ends the
        // connection, with no Logon reply.
        let foreign = try sClientLogon(port: port, ca: certificates.ca, certificate: stranger.client, key: stranger.clientKey,
                                       in: directory)
        #expect(!foreign.output.contains("35=A"), "\(foreign.output)")
        #expect(foreign.ended, "\(foreign.output)")
        let anonymous = try sClientLogon(port: port, ca: certificates.ca, certificate: nil, key: nil, in: directory)
        #expect(!anonymous.output.contains("35=A"), "\(anonymous.output)")
        #expect(anonymous.ended, "\(anonymous.output)")
        #expect(server.output.contains("logged on"))
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }
}
