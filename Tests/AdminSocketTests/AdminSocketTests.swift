import AdminSocket
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
        let response = try await AdminClient.send(AdminRequest(command: .engageKillSwitch, scope: "firm", by: "maria"), to: server.path)
        #expect(response.ok && response.message == "kill-switch-engage by maria")
        let permissions = try FileManager.default.attributesOfItem(atPath: server.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        await server.close()
        #expect(!FileManager.default.fileExists(atPath: server.path), "closing removes the socket file")
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
