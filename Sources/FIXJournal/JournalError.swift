/// What went wrong with a journal file, naming the file and, for SQLite failures, its message.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The file could not be opened or created.
        case cannotOpen
        /// The file is not a SQLite database (or is damaged beyond SQLite's reading).
        case notADatabase
        /// A SQLite database, but not a Wellhead journal: never written over.
        case foreignDatabase
        /// A Wellhead journal written by a newer schema than this build knows.
        case unsupportedVersion
        /// SQLite failed a statement.
        case sqlite
        /// The journal was closed.
        case closed
    }

    public let code: Code
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "journal \(path): \(message)" }

    /// Equal when the codes are: tests name the failure they expect.
    public static func == (lhs: JournalError, rhs: JournalError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
