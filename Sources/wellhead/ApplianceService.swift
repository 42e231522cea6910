import AdminSocket
import FIXJournal
import FIXSettings
import FIXTransport
import FIXTransportConfiguration
import Gateway
import Logging
import NIOCore
import NIOSSL
import RiskSidecar
import ServiceLifecycle
import UnixSignals
import VenueSimulator

/// The running appliance as one service of `wellhead serve`'s `ServiceGroup`: the FIX engine
/// with every session of the profile, the gateway's (or the venue's) clock, the admin socket
/// and the journal. It starts them, prints that it is serving, and on graceful shutdown (SIGTERM
/// or SIGINT, trapped by the group) logs the sessions out, closes the admin socket, stops the
/// clock and closes the journal, in that order.
struct ApplianceService: Service {
    let profile: ApplianceProfile
    /// The settings file as the command line named it (for the "serving" line).
    let config: String
    let journal: Journal
    /// The event loop that carries every session and owns the gateway.
    let loop: any EventLoop
    /// The order gateway the profile's gateway and route sessions share, if it has any.
    let gateway: GatewayApplication?
    /// The venue simulator the profile's venue sessions share, if it has any.
    let venue: VenueApplication?
    let logger: Logger

    /// Starts the appliance, then serves until graceful shutdown. A settings error at start
    /// (a port taken, a certificate unreadable, the admin socket path unusable) is thrown, as
    /// a `SettingsError`, after whatever had started is stopped and the journal closed.
    func run() async throws {
        let engine = FIXEngine(group: loop, logger: logger)
        let admin: AdminServer?
        do {
            admin = try await start(engine: engine)
        } catch {
            await engine.shutdown()
            stopClocks()
            journal.close()
            throw error
        }
        print("wellhead: serving \(profile.sessions.count) session(s) from \(config); journal \(profile.journalPath)")
        // Returns once the group shuts down gracefully; throws only if the task is cancelled,
        // which ends the appliance the same orderly way.
        try? await gracefulShutdown()
        logger.info("signal received; logging sessions out", metadata: ["sessions": "\(profile.sessions.count)"])
        await engine.shutdown()
        await admin?.close()
        stopClocks()
        journal.close()
        logger.info("journal closed; goodbye", metadata: ["journal": "\(profile.journalPath)"])
    }

    /// Stops the gateway's clock and the venue's.
    private func stopClocks() {
        gateway?.stop()
        venue?.stop()
    }

    /// Starts every session, then the gateway's clock and its admin socket (returned).
    private func start(engine: FIXEngine) async throws(SettingsError) -> AdminServer? {
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
                                               journal: journal, persistMessages: session.persistMessages,
                                               journaling: session.journalMarketData ? .everything : .withoutMarketDataRefreshes)
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
            let admin = try await AdminServer.start(path: settings.adminSocketPath) { [gateway, venue] request in
                if let venue { return await venue.handle(request) }
                return await gateway?.handle(request) ?? AdminResponse(ok: false, message: "no gateway or venue serves this socket")
            }
            logger.info("risk admin socket open", metadata: ["path": "\(admin.path)", "config": "\(profile.file)"])
            return admin
        } catch {
            throw SettingsError(file: profile.file, section: "\(session.configuration.id)", key: "AdminSocket", message: "\(error)")
        }
    }
}

/// Reloads the risk limits from their file on every SIGHUP, without touching a session, until
/// the group shuts down. A file that does not load keeps the limits in force (the sidecar logs
/// why: "risk limits not reloaded").
struct RiskLimitsReloadService: Service {
    /// Each risk sidecar (the gateway's, the venue's) and its limits file.
    let limits: [RiskLimitsFile]
    /// The gateway's signals file, reloaded on the same SIGHUP (a bad file keeps the signals
    /// in force: "signals not reloaded").
    let signals: [SignalsFile]
    /// SIGHUP, trapped by `wellhead serve` before any session listens, so that a hang-up never
    /// meets the default action (the end of the process).
    let hangUps: UnixSignalsSequence

    func run() async {
        for await _ in hangUps.cancelOnGracefulShutdown() {
            for file in limits {
                do {
                    try file.risk.reload(path: file.path)
                } catch {
                    // The sidecar has logged why and keeps the limits in force.
                }
            }
            for file in signals { file.reload(logger: Logger(label: "wellhead.signals")) }
        }
    }
}
