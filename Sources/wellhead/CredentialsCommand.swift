import ArgumentParser
import FIXCredentials
import Foundation

/// `wellhead credentials hash --username desk1`: reads a password from standard input and
/// prints the line an acceptor's password file (`LogonCredentialsFile`) holds for it.
struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Make password-file lines for Logon credentials.",
        subcommands: [Hash.self])

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a password from standard input; print username:pbkdf2-sha256:rounds:salt:hash.")

        @Option(help: "The Username (553) the counterparty logs on with.") var username: String
        @Option(help: "PBKDF2 rounds (at least 210000).") var rounds = 600_000

        func run() throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            guard rounds >= PasswordHash.minimumRounds else {
                throw ValidationError("--rounds must be at least \(PasswordHash.minimumRounds)")
            }
            print("\(username):\(try PasswordHash.make(password: password, rounds: rounds).encoded)")
        }
    }
}
