@testable import AdminSocket
import Foundation
import Testing
import TestSupport

/// The admin socket on its own: a real Unix domain socket, a handler standing in for the
/// appliance, and the client `wellhead risk` uses. (The gateway's answers over it are
/// GatewayAdminTests.)
@Suite struct AdminSocketTests {
    /// A server whose handler echoes the command and the person back.
    static func serve(in directory: TemporaryDirectory) async throws -> AdminServer {
        try await AdminServer.start(path: directory.path("admin.sock")) { request in
            AdminResponse(ok: true, message: "\(request.command.rawValue) by \(request.by ?? "nobody")")
        }
    }

    @Test func eachRequestIsAnsweredByTheHandlerOnASocketOnlyItsOwnerMayUse() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try await Self.serve(in: directory)
        let response = try await AdminClient.send(AdminRequest(command: .engageKillSwitch, scope: "firm"), to: server.path)
        #expect(response.ok && response.message == "kill-switch-engage by os:\(Self.operatingSystemUser)", "\(response.message)")
        let permissions = try FileManager.default.attributesOfItem(atPath: server.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        await server.close()
        #expect(!FileManager.default.fileExists(atPath: server.path), "closing removes the socket file")
    }

    /// The name of the user this test runs as, from the password database.
    static var operatingSystemUser: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid\(geteuid())" }
        return String(cString: name)
    }

    /// Whoever a request claims to be, the handler is told the operating-system user of the
    /// process at the other end of the socket, as the kernel reports it.
    @Test func thePersonActingIsTheConnectingOperatingSystemUserWhateverTheRequestClaims() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try await Self.serve(in: directory)
        let path = server.path
        let claimed = try await AdminClient.send(AdminRequest(command: .releaseKillSwitch, scope: "firm", by: "maria"), to: path)
        #expect(claimed.message == "kill-switch-release by os:\(Self.operatingSystemUser)", "\(claimed.message)")
        let raw = await offCooperativePool {
            (try? RawLineClient.exchange(#"{"command":"venue-halt","by":"somebody else","reason":"x"}"# + "\n", path: path)) ?? ""
        }
        #expect(raw.contains("venue-halt by os:\(Self.operatingSystemUser)"), "\(raw)")
        await server.close()
    }

    @Test func aUidIsNamedFromThePasswordDatabase() {
        #expect(PeerUser.name(of: 0) == "root")
        #expect(PeerUser.name(of: 4_000_000_000) == "uid4000000000", "a uid with no entry is named by its number")
    }

    @Test func aLineThatIsNotARequestGetsAnAnswerNotACrash() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try await Self.serve(in: directory)
        let path = server.path
        let reply = await offCooperativePool { (try? RawLineClient.exchange("{\"command\":\"self-destruct\"}\n", path: path)) ?? "" }
        #expect(reply.contains("\"ok\":false") && reply.contains("not an admin request"), "\(reply)")
        let status = try await AdminClient.send(AdminRequest(command: .status), to: path)
        #expect(status.ok, "the server goes on serving")
        await server.close()
    }

    @Test func anAbsentApplianceIsReportedWithThePath() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("nobody.sock")
        await #expect(throws: AdminSocketError.self) { try await AdminClient.send(AdminRequest(command: .status), to: path) }
        do {
            _ = try await AdminClient.send(AdminRequest(command: .status), to: path)
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("wellhead serve"))
        }
    }
}
