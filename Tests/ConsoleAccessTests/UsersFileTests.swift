@testable import ConsoleAccess
import Foundation
import Testing
import TestSupport

/// The users file on disk: written, read back, and each bad line refused with the file, the
/// line and what is wrong.
@Suite struct UsersFileTests {
    /// bcrypt at the lowest cost: the tests check the file, not the hash's strength.
    static let alice = ConsoleUser(name: "alice", role: .riskManager, password: PasswordHash(hashing: "correct horse battery", cost: 4))
    static let tom = ConsoleUser(name: "tom.b_1-x", role: .trader, accounts: ["DESK1", "DESK2"], password: PasswordHash(hashing: "trader password!", cost: 4))
    static let goodHash = PasswordHash(hashing: "x", cost: 4).text

    @Test func usersWrittenAreReadBackWithTheirPasswordsOnlyAsHashes() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        var file = UsersFile.empty(path: path)
        try file.add(Self.tom)
        try file.add(Self.alice)
        try file.save()

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("correct horse") && text.contains("alice:risk_manager::$2b$04$"))
        #expect(text.contains("tom.b_1-x:trader:DESK1,DESK2:$2b$04$"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["users"], "no temporary file is left")

        var read = try UsersFile.load(path: path)
        #expect(read.users.map(\.name) == ["alice", "tom.b_1-x"])
        #expect(read.user(named: "tom.b_1-x") == Self.tom)
        #expect(read.user(named: "alice")?.password.matches("correct horse battery") == true)
        #expect(read.user(named: "alice")?.password.matches("wrong") == false)

        try read.setPassword(of: "alice", to: PasswordHash(hashing: "a new long password", cost: 4))
        try read.remove(named: "tom.b_1-x")
        try read.save()
        let again = try UsersFile.load(path: path)
        #expect(again.users.map(\.name) == ["alice"])
        #expect(again.user(named: "alice")?.password.matches("a new long password") == true)
    }

    @Test func commentsAndBlankLinesAreSkipped() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        try "# the desk\n\n   \nalice:risk_manager::\(Self.goodHash)\r\n  # more\nbob:compliance::\(Self.goodHash)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try UsersFile.load(path: path).users.map(\.name) == ["alice", "bob"])
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        let path = "/nonexistent/wellhead/users"
        #expect(throws: UsersFileError(path: path, problem: .missing)) { try UsersFile.load(path: path) }
        #expect("\(UsersFileError(path: path, problem: .missing))".contains(path))
    }

    /// Each bad line, after two good ones, and the problem it is refused for.
    static let badLines: [(line: String, problem: UsersFileError.Problem, says: String)] = [
        ("carol:auditor::\(goodHash)", .unknownRole("auditor"), "unknown role 'auditor': the roles are trader, risk_manager, compliance, admin"),
        ("carol:compliance::secret", .notBcrypt, "not a bcrypt hash"),
        ("carol:compliance::$2b$04$short", .notBcrypt, "not a bcrypt hash"),
        ("alice:compliance::\(goodHash)", .duplicate(name: "alice", firstLine: 2), "user 'alice' is already in the file (line 2)"),
        ("carol:trader::\(goodHash)", .traderWithoutAccounts("carol"), "trader 'carol' has no accounts"),
        ("carol:compliance:\(goodHash)", .fieldCount(3), "4 fields"),
        ("car ol:compliance::\(goodHash)", .badName("car ol"), "user name 'car ol'"),
        ("carol:trader:DESK 1:\(goodHash)", .badAccount("DESK 1"), "account 'DESK 1'"),
    ]

    @Test(arguments: badLines.indices)
    func aBadLineIsRefusedWithTheFileTheLineAndTheProblem(index: Int) throws {
        let bad = Self.badLines[index]
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("users")
        try "# users\nalice:risk_manager::\(Self.goodHash)\nbob:trader:DESK1:\(Self.goodHash)\n\(bad.line)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try UsersFile.load(path: path)
            Issue.record("\(bad.line) was accepted")
        } catch {
            #expect(error == UsersFileError(path: path, line: 4, problem: bad.problem))
            #expect(error.description.hasPrefix("\(path):4: ") && error.description.contains(bad.says), "\(error)")
        }
    }

    @Test func addingAnExistingNameOrATraderWithoutAccountsIsRefused() throws {
        var file = UsersFile.empty(path: "/tmp/users")
        try file.add(Self.alice)
        #expect(throws: UsersFileError(path: "/tmp/users", problem: .duplicate(name: "alice", firstLine: nil))) { try file.add(Self.alice) }
        let lonely = ConsoleUser(name: "sam", role: .trader, password: Self.alice.password)
        #expect(throws: UsersFileError(path: "/tmp/users", problem: .traderWithoutAccounts("sam"))) { try file.add(lonely) }
        let colon = ConsoleUser(name: "a:b", role: .admin, password: Self.alice.password)
        #expect(throws: UsersFileError(path: "/tmp/users", problem: .badName("a:b"))) { try file.add(colon) }
        #expect(throws: UsersFileError(path: "/tmp/users", problem: .noSuchUser("zed"))) { try file.remove(named: "zed") }
        #expect(throws: UsersFileError(path: "/tmp/users", problem: .noSuchUser("zed"))) {
            try file.setPassword(of: "zed", to: Self.alice.password)
        }
    }

    @Test func aFileThatCannotBeWrittenIsAnErrorNamingIt() {
        var file = UsersFile.empty(path: "/nonexistent/wellhead/users")
        do {
            try file.add(Self.alice)
            try file.save()
            Issue.record("saved into a folder that does not exist")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/wellhead/users: cannot write"), "\(error)")
        }
    }
}
