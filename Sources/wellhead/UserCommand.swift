import ArgumentParser
import ConsoleAccess
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `wellhead user`: the console's users file (the profile's `Users=`): add a user, change a
/// password, remove a user, list them. Passwords are read from a prompt (twice, without echo)
/// or, when standard input is not a terminal, from its first line; never from the command line.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list and remove console users and set their passwords.",
        subcommands: [Add.self, Passwd.self, Remove.self, List.self]
    )

    /// The cost the CLI hashes with: 2^12 rounds of bcrypt.
    static let bcryptCost: UInt8 = 12
    static let minimumPasswordLength = 12

    struct UsersFileOption: ParsableArguments {
        @Option(help: "The users file, as the profile's Users= names it.") var users: String
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user (the file is created if missing); the password is asked for.")
        @Argument(help: "The user's name: letters, digits, '.', '_' and '-'.") var name: String
        @Option(help: "trader, risk_manager, compliance or admin.") var role: String
        @Option(help: "A trader's accounts, comma-separated, e.g. DESK1,DESK2.") var accounts: String?
        @OptionGroup var file: UsersFileOption

        func run() throws {
            try UserCommand.reporting {
                var users = try UserCommand.loadOrCreate(file.users)
                guard let role = ConsoleRole(rawValue: role) else {
                    throw UserCommandError("\(file.users): unknown role '\(role)': the roles are \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let accounts = Set((accounts ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
                // Everything the file would refuse is refused before a password is asked for.
                var trial = users
                try trial.add(ConsoleUser(name: name, role: role, accounts: accounts, password: PasswordHash(hashing: "", cost: 4)))
                let password = try UserCommand.readNewPassword(for: name, file: file.users)
                try users.add(ConsoleUser(name: name, role: role, accounts: accounts, password: PasswordHash(hashing: password, cost: UserCommand.bcryptCost)))
                try users.save()
                print("added \(name) (\(role.rawValue)\(accounts.isEmpty ? "" : ": \(accounts.sorted().joined(separator: ","))")) to \(file.users)")
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password; the new password is asked for.")
        @Argument(help: "The user's name.") var name: String
        @OptionGroup var file: UsersFileOption

        func run() throws {
            try UserCommand.reporting {
                var users = try UsersFile.load(path: file.users)
                guard users.user(named: name) != nil else { throw UsersFileError(path: file.users, problem: .noSuchUser(name)) }
                let password = try UserCommand.readNewPassword(for: name, file: file.users)
                try users.setPassword(of: name, to: PasswordHash(hashing: password, cost: UserCommand.bcryptCost))
                try users.save()
                print("changed the password of \(name) in \(file.users)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")
        @Argument(help: "The user's name.") var name: String
        @OptionGroup var file: UsersFileOption

        func run() throws {
            try UserCommand.reporting {
                var users = try UsersFile.load(path: file.users)
                try users.remove(named: name)
                try users.save()
                print("removed \(name) from \(file.users)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, their roles and accounts.")
        @OptionGroup var file: UsersFileOption

        func run() throws {
            try UserCommand.reporting {
                for user in try UsersFile.load(path: file.users).users {
                    let accounts = user.accounts.isEmpty ? "" : "  " + user.accounts.sorted().joined(separator: ",")
                    print("\(user.name)  \(user.role.rawValue)\(accounts)")
                }
            }
        }
    }

    /// Runs `body`; an error is printed on standard error and the command exits non-zero.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as UsersFileError {
            fail("\(error)")
        } catch let error as UserCommandError {
            fail(error.description)
        }
    }

    private static func fail(_ message: String) -> Never {
        var standardError = StandardError()
        print("error: \(message)", to: &standardError)
        Foundation.exit(ExitCode.failure.rawValue)
    }

    /// The file at `path`, or an empty one to be written there when there is none yet.
    static func loadOrCreate(_ path: String) throws(UsersFileError) -> UsersFile {
        do {
            return try UsersFile.load(path: path)
        } catch where error.problem == .missing {
            return UsersFile.empty(path: path)
        }
    }

    /// The new password: asked twice without echo on a terminal, else standard input's first line.
    static func readNewPassword(for name: String, file: String) throws(UserCommandError) -> String {
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            let first = try readHidden(prompt: "password for \(name): ")
            try checkLength(first, file: file)
            let second = try readHidden(prompt: "again: ")
            guard first == second else { throw UserCommandError("\(file): the two passwords differ; nothing was changed") }
            password = first
        } else {
            guard let line = readLine(strippingNewline: true) else {
                throw UserCommandError("\(file): no password on standard input (give it as its first line); nothing was changed")
            }
            password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        try checkLength(password, file: file)
        return password
    }

    private static func checkLength(_ password: String, file: String) throws(UserCommandError) {
        guard password.count >= minimumPasswordLength else {
            throw UserCommandError("\(file): the password is too short: it must be at least \(minimumPasswordLength) characters; nothing was changed")
        }
    }

    /// One line from the terminal with echo off, the terminal restored afterwards.
    private static func readHidden(prompt: String) throws(UserCommandError) -> String {
        var standardError = StandardError()
        print(prompt, terminator: "", to: &standardError)
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw UserCommandError("cannot read the terminal's settings: \(String(cString: strerror(errno)))") }
        var hidden = saved
        hidden.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSANOW, &hidden) == 0 else {
            throw UserCommandError("cannot turn the terminal's echo off: \(String(cString: strerror(errno)))")
        }
        let line = readLine(strippingNewline: true)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        print("", to: &standardError)
        guard let line else { throw UserCommandError("no password given") }
        return line
    }
}

/// A refusal of `wellhead user` that is not the users file's own.
struct UserCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
