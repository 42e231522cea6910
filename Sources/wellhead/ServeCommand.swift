import ApplianceMetrics
import ArgumentParser
import Console
import FIXJournal
import Gateway
import Logging
import NIOPosix
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// `wellhead serve --config <file>`: runs every session the settings file defines until
/// SIGINT or SIGTERM, then logs them out and closes the journal. The appliance runs as a
/// service of a `ServiceGroup` (ApplianceService.swift), which traps those signals and shuts
/// it down gracefully; SIGHUP reloads the risk limits (`RiskLimitsReloadService`).
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
        // Before anything makes an instrument: the sessions, the journal and the gateway make
        // theirs as they are set up. Served at the console's /metrics.
        let registry = ApplianceMetrics.bootstrap()
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
            journal = try Journal(path: profile.journalPath, synchronous: profile.engine.journalSync == .full ? .full : .normal,
                                  fill: profile.engine.journalFill == .idle ? .idle : .background)
        } catch {
            print("error: \(profile.file): JournalPath: \(error)", to: &standardError)
            throw ExitCode.failure
        }
        if journal.fillPriority == .idle && journal.fillInEffect != .idle && journal.writesAhead {
            // Linux refuses to raise a SCHED_IDLE thread again without CAP_SYS_NICE or an
            // RLIMIT_NICE for it: idle threads that could not be rescued would starve on a busy host.
            logger.warning("JournalFill=idle needs CAP_SYS_NICE or LimitNICE=+0 to raise a starved thread; the journal's threads run at nice 10",
                           metadata: ["file": "\(profile.file)"])
        }
        if journal.replayedRecords > 0 {
            logger.notice("journal recovered from its write-ahead log",
                          metadata: ["journal": "\(profile.journalPath)", "records": "\(journal.replayedRecords)"])
        }
        // One event loop carries every session and owns the gateway's and the venue's state: a
        // message reaches them with no hand-off between threads, and they need no lock.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let gateway: AssembledGateway?
        let venue: AssembledVenue?
        do {
            gateway = try GatewayAssembly.make(profile, journal: journal, loop: loop)
            // A venue profile's exchange: order entry of its own, market data and reference data.
            venue = try VenueAssembly.make(profile, journal: journal, loop: loop)
        } catch {
            print("error: \(error)", to: &standardError)
            journal.close()
            throw ExitCode.failure
        }
        var services: [any Service] = [
            ApplianceService(profile: profile, config: config, journal: journal, loop: loop, gateway: gateway?.application,
                             venue: venue?.application, logger: logger),
        ]
        if let gateway, let session = profile.sessions.first(where: { $0.gateway?.console != nil }), let console = session.gateway?.console {
            let dictionary = profile.sessions.lazy.compactMap(\.fix.configuration.dictionary).first
            let tls: TLSConfiguration?
            do {
                tls = try session.tls.map { try $0.makeServerConfiguration() }
            } catch {
                print("error: \(profile.file): [\(session.configuration.id)] ConsolePort: the console's TLS: \(error)", to: &standardError)
                journal.close()
                throw ExitCode.failure
            }
            // The console's own session, for the orders traders enter there (its journal row made now).
            let entry: GatewayConsoleSession
            if let clash = profile.sessions.first(where: { $0.configuration.id.targetCompID == GatewayConsoleSession.name }) {
                print("error: \(profile.file): [\(clash.configuration.id)] TargetCompID=\(GatewayConsoleSession.name) is the console's own "
                      + "order entry session: give the FIX session another name", to: &standardError)
                journal.close()
                throw ExitCode.failure
            }
            do {
                entry = try gateway.application.openConsoleSession(ourCompID: session.configuration.id.senderCompID)
            } catch {
                print("error: \(profile.file): the console's order entry session: \(error)", to: &standardError)
                journal.close()
                throw ExitCode.failure
            }
            services.append(ConsoleServer.appliance(console, gateway: gateway.application, journal: journal, dictionary: dictionary, tls: tls,
                                                    logger: logger, metrics: { ApplianceMetrics.exposition(registry) }, entry: entry))
        }
        let limits = [gateway?.limits, venue?.limits].compactMap { $0 }
        let signals = [gateway?.signals].compactMap { $0 }
        if !limits.isEmpty || !signals.isEmpty {
            // Trapped here, before any session listens: a SIGHUP never meets the default action.
            let hangUps = await UnixSignalsSequence(trapping: .sighup)
            services.append(RiskLimitsReloadService(limits: limits, signals: signals, hangUps: hangUps))
        }
        // Shut down in reverse order: the reloads stop first, then the appliance logs out.
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            // A settings error the appliance met while starting (the journal is closed by then).
            print("error: \(error)", to: &standardError)
            throw ExitCode.failure
        }
    }
}
