import AdminSocket
import ArgumentParser
import FIXJournal
import FIXSession
import FIXSettings
import FIXTransport
import FIXTransportConfiguration
import Foundation
import Gateway
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import VenueSimulator

/// `wellhead serve --config <file>`: runs every session the settings file defines until
/// SIGINT or SIGTERM, then logs them out and closes the journal.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the FIX sessions of a QuickFIX-style settings file until interrupted."
    )

    @Option(name: .long, help: "The settings file, e.g. sessions/echo-acceptor.cfg")
    var config: String

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "wellhead")
        var standardError = StandardError()
        let profile: ApplianceProfile
        do {
            profile = try ApplianceProfile.load(path: config)
        } catch {
            print("error: \(error)", to: &standardError)
            throw ExitCode.failure
        }
        let journal: Journal
        do {
            journal = try Journal(path: profile.journalPath)
        } catch {
            print("error: \(profile.file): JournalPath: \(error)", to: &standardError)
            throw ExitCode.failure
        }
        // One event loop carries every session and owns the gateway's state: a message reaches
        // the gateway with no hand-off between threads, and the gateway needs no lock.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let engine = FIXEngine(group: loop, logger: logger)
        let admin: AdminServer?
        do {
            admin = try await start(profile, engine: engine, journal: journal, loop: loop)
        } catch let error as SettingsError {
            print("error: \(error)", to: &standardError)
            await engine.shutdown()
            journal.close()
            throw ExitCode.failure
        }
        print("wellhead: serving \(profile.sessions.count) session(s) from \(config); journal \(profile.journalPath)")
        let signal = await Self.waitForTermination()
        logger.info("signal received; logging sessions out", metadata: ["signal": "\(signal)"])
        await admin?.close()
        await engine.shutdown()
        journal.close()
        logger.info("journal closed; goodbye")
    }

    /// Starts every session, then the gateway's clock and its admin socket (returned).
    private func start(_ profile: ApplianceProfile, engine: FIXEngine, journal: Journal, loop: any EventLoop) async throws -> AdminServer? {
        let gateway = try GatewayAssembly.make(profile, journal: journal, loop: loop)
        // A venue profile's exchange: order entry of its own, market data and reference data.
        let venue = try VenueAssembly.make(profile, journal: journal)
        var acceptors: [ConnectAddress: (registry: SessionRegistry, first: ApplianceSession, checksum: Bool)] = [:]
        for session in profile.sessions {
            let endpoint: SessionEndpoint
            do {
                let application: any FIXApplication
                switch session.application {
                case "gateway", "route": application = gateway!
                case "venue": application = venue!
                default: application = EchoApplication()
                }
                endpoint = try SessionEndpoint(configuration: session.configuration, application: application,
                                               journal: journal, persistMessages: session.persistMessages)
                if session.application == "gateway" || session.application == "route" { gateway?.attach(endpoint) }
                if session.application == "venue" { venue?.attach(endpoint) }
            } catch {
                throw SettingsError(file: profile.file, key: "JournalPath", message: "\(error)")
            }
            switch session.configuration.role {
            case .acceptor:
                let address = ConnectAddress(host: session.acceptHost, port: session.acceptPort!)
                var entry = acceptors[address] ?? (SessionRegistry(), session, true)
                entry.registry.add(endpoint)
                entry.checksum = entry.checksum && session.validateLengthAndChecksum
                acceptors[address] = entry
            case .initiator:
                let tls = try session.tls.map { settings throws(SettingsError) in
                    do { return try settings.makeClientContext() } catch {
                        throw SettingsError(file: profile.file, section: "\(session.configuration.id)", key: "SocketUseSSL", message: "\(error)")
                    }
                }
                engine.connect(endpoint, addresses: session.connectAddresses,
                               reconnectInterval: session.reconnectInterval, tls: tls, serverHostname: session.tls?.serverHostname,
                               noDelay: session.noDelay, validateChecksum: session.validateLengthAndChecksum)
            }
        }
        for (address, acceptor) in acceptors {
            let section = "\(acceptor.first.configuration.id)"
            var tls: NIOSSLContext?
            if let settings = acceptor.first.tls {
                do { tls = try settings.makeServerContext() } catch {
                    throw SettingsError(file: profile.file, section: section, key: "ServerCertificateFile", message: "\(error)")
                }
            }
            do {
                try await engine.listen(host: address.host, port: address.port, registry: acceptor.registry, tls: tls,
                                        reuseAddress: acceptor.first.reuseAddress, noDelay: acceptor.first.noDelay,
                                        validateChecksum: acceptor.checksum)
            } catch {
                throw SettingsError(file: profile.file, section: section, key: "SocketAcceptPort",
                                    message: "cannot listen on \(address.host):\(address.port): \(error)")
            }
        }
        guard gateway != nil || venue != nil, let session = profile.sessions.first(where: { $0.gateway != nil }),
              let settings = session.gateway else {
            return nil
        }
        gateway?.start()
        venue?.start()
        do {
            let admin = try await AdminServer.start(path: settings.adminSocketPath) { request in
                if let venue { return await venue.handle(request) }
                return await gateway?.handle(request) ?? AdminResponse(ok: false, message: "no gateway or venue serves this socket")
            }
            Logger(label: "wellhead").info("risk admin socket \(admin.path) (wellhead risk --config \(profile.file))")
            return admin
        } catch {
            throw SettingsError(file: profile.file, section: "\(session.configuration.id)", key: "AdminSocket", message: "\(error)")
        }
    }

    /// Suspends until SIGINT or SIGTERM, returning its name.
    static func waitForTermination() async -> String {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        var sources: [DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            sources.append(source)
        }
        var iterator = stream.makeAsyncIterator()
        let name = await iterator.next() ?? "end"
        sources.forEach { $0.cancel() }
        return name
    }
}
