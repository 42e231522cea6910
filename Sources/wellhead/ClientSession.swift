import ArgumentParser
import FIXCodec
import FIXJournal
import FIXSession
import FIXTransport
import FIXVocabulary
import Foundation
import Instruments
import Logging
import Synchronization

/// The FIX session of a one-shot client command (`wellhead order`, `wellhead marketdata
/// watch`): an initiator that logs on with both sequence numbers reset (it keeps no numbering
/// between runs), journaling to a scratch folder removed when it is closed.
struct ClientSession {
    private let directory: URL
    private let journal: Journal
    private let engine: FIXEngine
    let endpoint: SessionEndpoint

    /// Connects `application` as `sender` to `target` at `host:port` once; the session then
    /// logs on. `name` labels its scratch folder and logger. A connection that cannot be made
    /// (nothing listening, no answer) is printed as an error naming `host:port` and ends the
    /// command at once with exit code 1.
    init(name: String, sender: String, target: String, host: String, port: Int, application: any FIXApplication) async throws {
        ClientSession.quietLogging()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wellhead-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        journal = try Journal(path: directory.appendingPathComponent("\(name).sqlite").path)
        var configuration = SessionConfiguration(id: SessionID(beginString: "FIX.4.4", senderCompID: sender, targetCompID: target),
                                                 role: .initiator)
        configuration.resetOnLogon = true
        endpoint = try SessionEndpoint(configuration: configuration, application: application, journal: journal)
        engine = FIXEngine(logger: Logger(label: "wellhead.\(name)"))
        do {
            try await engine.connectOnce(endpoint, host: host, port: port)
        } catch {
            await close(reason: "not connected")
            var standardError = StandardError()
            print("error: \(error)", to: &standardError)
            throw ExitCode.failure
        }
    }

    /// Logs out, closes the journal and removes the scratch folder.
    func close(reason: String) async {
        await engine.shutdown(reason: reason)
        journal.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Warnings and errors only: the command's own output is what the user reads.
    private static func quietLogging() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
    }
}

extension InstrumentReferenceLoader {
    /// The file at `path`, or the standard listing when there is none; a bad file is printed
    /// as an error and ends the command.
    static func loadForCommand(_ path: String?) throws -> InstrumentReference {
        do {
            return try path.map { path throws(InstrumentReferenceError) in try InstrumentReferenceLoader.load(path: path) } ?? .standard
        } catch {
            var standardError = StandardError()
            print("error: \(error)", to: &standardError)
            throw ExitCode.failure
        }
    }
}

/// The requests a one-shot client command sends once its session has logged on and the
/// command holds the session's endpoint, whichever comes second, and only once. The Logon can
/// complete before the command holds the endpoint (a busy machine runs the session's event
/// loop first); sending only from the Logon callback then sent nothing at all.
final class SendOnLogon: Sendable {
    private let messages: [(type: MsgType, body: FIXFieldList)]
    private let state = Mutex<(endpoint: SessionEndpoint?, loggedOn: Bool, sent: Bool)>((nil, false, false))

    init(_ messages: [(type: MsgType, body: FIXFieldList)]) {
        self.messages = messages
    }

    func loggedOn() {
        sendIfReady { $0.loggedOn = true }
    }

    func attach(_ endpoint: SessionEndpoint) {
        sendIfReady { $0.endpoint = endpoint }
    }

    private func sendIfReady(_ change: (inout (endpoint: SessionEndpoint?, loggedOn: Bool, sent: Bool)) -> Void) {
        let endpoint: SessionEndpoint? = state.withLock { state in
            change(&state)
            guard let endpoint = state.endpoint, state.loggedOn, !state.sent else { return nil }
            state.sent = true
            return endpoint
        }
        guard let endpoint else { return }
        let messages = self.messages
        // Sent from outside the session's own callback, as any application message is.
        DispatchQueue.global().async {
            for message in messages { endpoint.send(msgType: message.type.rawValue, body: message.body) }
        }
    }
}
