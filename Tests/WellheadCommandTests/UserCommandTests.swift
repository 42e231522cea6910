import ConsoleAccess
import Foundation
import Testing
import TestSupport

/// `wellhead user` as an administrator runs it: the built binary, the password on standard
/// input (never on the command line), and the users file it writes.
@Suite struct UserCommandTests {
    /// Runs `wellhead` with `input` on standard input, waiting at most `timeout` seconds.
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func run(_ arguments: [String], input: String, timeout: Double = 120) throws -> Result {
        try run(WellheadProcess.executable, arguments, input: input, timeout: timeout)
    }

    /// Runs `wellhead` on a terminal of its own (util-linux's `script` gives it a pseudo-terminal
    /// as standard input), `input` typed into it.
    static func runOnATerminal(_ arguments: [String], input: String) throws -> Result {
        let command = ([WellheadProcess.executable.path] + arguments).joined(separator: " ")
        return try run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], input: input, timeout: 120)
    }

    static func run(_ executable: URL, _ arguments: [String], input: String, timeout: Double) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let standardInput = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = standardInput
        process.standardOutput = output
        process.standardError = error
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        try standardInput.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try standardInput.fileHandleForWriting.close()
        guard ended.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            Issue.record("wellhead \(arguments.joined(separator: " ")) did not end within \(timeout) s")
            return Result(status: -1, standardOutput: "", standardError: "timed out")
        }
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                      standardError: String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func aUserAddedWithThePasswordOnStandardInputIsKeptAsABcryptHash() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        let added = try Self.run(["user", "add", "alice", "--role", "risk_manager", "--users", path], input: "first long password\n")
        #expect(added.status == 0, "\(added.standardError)")
        #expect(added.standardOutput.contains("added alice (risk_manager) to \(path)"), "\(added.standardOutput)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("first long password"), "the password itself is never written")
        #expect(text.contains("alice:risk_manager::$2b$12$"), "\(text)")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try UsersFile.load(path: path).user(named: "alice")?.password.matches("first long password") == true)

        let trader = try Self.run(["user", "add", "tom", "--role", "trader", "--accounts", "DESK2,DESK1", "--users", path], input: "the trader's password\n")
        #expect(trader.status == 0, "\(trader.standardError)")
        let listed = try Self.run(["user", "list", "--users", path], input: "")
        #expect(listed.standardOutput == "alice  risk_manager\ntom  trader  DESK1,DESK2\n", "\(listed.standardOutput)")

        let changed = try Self.run(["user", "passwd", "alice", "--users", path], input: "second long password\n")
        #expect(changed.status == 0, "\(changed.standardError)")
        let alice = try #require(try UsersFile.load(path: path).user(named: "alice"))
        #expect(alice.password.matches("second long password") && !alice.password.matches("first long password"))
        #expect(alice.role == .riskManager)

        let removed = try Self.run(["user", "remove", "tom", "--users", path], input: "")
        #expect(removed.status == 0, "\(removed.standardError)")
        #expect(try UsersFile.load(path: path).users.map(\.name) == ["alice"])
    }

    @Test func aShortPasswordIsRefusedAndNothingIsWritten() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        let refused = try Self.run(["user", "add", "alice", "--role", "admin", "--users", path], input: "too short\n")
        #expect(refused.status != 0)
        #expect(refused.standardError.contains(path) && refused.standardError.contains("at least 12 characters"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: path))
        let empty = try Self.run(["user", "add", "alice", "--role", "admin", "--users", path], input: "")
        #expect(empty.status != 0 && empty.standardError.contains("no password on standard input"), "\(empty.standardError)")
    }

    @Test func anUnknownRoleATraderWithoutAccountsAndADuplicateAreRefusedNamingTheFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        let role = try Self.run(["user", "add", "alice", "--role", "superuser", "--users", path], input: "a long enough password\n")
        #expect(role.status != 0)
        #expect(role.standardError.contains("\(path): unknown role 'superuser': the roles are trader, risk_manager, compliance, admin"),
                "\(role.standardError)")
        let trader = try Self.run(["user", "add", "tom", "--role", "trader", "--users", path], input: "a long enough password\n")
        #expect(trader.status != 0 && trader.standardError.contains("\(path): trader 'tom' has no accounts"), "\(trader.standardError)")
        #expect(!FileManager.default.fileExists(atPath: path))

        #expect(try Self.run(["user", "add", "bob", "--role", "compliance", "--users", path], input: "a long enough password\n").status == 0)
        let again = try Self.run(["user", "add", "bob", "--role", "admin", "--users", path], input: "a long enough password\n")
        #expect(again.status != 0 && again.standardError.contains("\(path): user 'bob' is already in the file"), "\(again.standardError)")
        let nobody = try Self.run(["user", "passwd", "zed", "--users", path], input: "a long enough password\n")
        #expect(nobody.status != 0 && nobody.standardError.contains("\(path): no user 'zed'"), "\(nobody.standardError)")
        let missing = try Self.run(["user", "list", "--users", directory.path("absent")], input: "")
        #expect(missing.status != 0 && missing.standardError.contains(directory.path("absent")), "\(missing.standardError)")
        let onTheCommandLine = try Self.run(["user", "add", "carol", "--role", "admin", "--password", "x", "--users", path], input: "")
        #expect(onTheCommandLine.status != 0, "there is no way to give a password on the command line")
    }

    /// On a terminal the password is asked for twice, and two that differ change nothing.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalThePasswordIsAskedTwiceAndMustMatch() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        let added = try Self.runOnATerminal(["user", "add", "alice", "--role", "admin", "--users", path],
                                            input: "a terminal password\na terminal password\n")
        #expect(added.status == 0, "\(added.standardOutput)")
        #expect(added.standardOutput.contains("password for alice: ") && added.standardOutput.contains("again: "), "\(added.standardOutput)")
        #expect(try UsersFile.load(path: path).user(named: "alice")?.password.matches("a terminal password") == true)

        let differ = try Self.runOnATerminal(["user", "passwd", "alice", "--users", path], input: "one long password\nanother password\n")
        #expect(differ.status != 0 && differ.standardOutput.contains("\(path): the two passwords differ"), "\(differ.standardOutput)")
        #expect(try UsersFile.load(path: path).user(named: "alice")?.password.matches("a terminal password") == true)
    }
}
