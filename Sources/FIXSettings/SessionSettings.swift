import Foundation

/// One `[SESSION]`'s keys with the `[DEFAULT]` values it inherits, each with its line, read as
/// typed values whose errors name the file, the line, the section and the key.
///
/// The engine reads a session's QuickFIX keys through one; the session's application gets one
/// of the keys the engine leaves, its own (``SessionProfile/applicationSettings``), to read and
/// check the same way.
public struct SessionSettings: Sendable {
    /// The settings file's path.
    public let file: String
    /// The section as errors name it: `[SESSION] at line 12 (FIX.4.4:WELLHEAD->OMS1)`.
    public internal(set) var section: String
    /// The line of the section's header, for errors about a key it does not set.
    public let line: Int
    /// Each key's value and line.
    public let entries: [String: SettingsFile.Entry]

    init(file: String, section: String, line: Int, entries: [String: SettingsFile.Entry]) {
        self.file = file
        self.section = section
        self.line = line
        self.entries = entries
    }

    /// The same section with only the keys `keep` accepts.
    func filter(_ keep: (String) -> Bool) -> SessionSettings {
        SessionSettings(file: file, section: section, line: line, entries: entries.filter { keep($0.key) })
    }

    /// An error about `key` (or, with `nil`, the section), at the key's line or else the section's.
    public func error(_ key: String?, _ message: String) -> SettingsError {
        SettingsError(file: file, line: key.flatMap { entries[$0]?.line } ?? line, section: section, key: key, message: message)
    }

    /// The key's value; `nil` when it is not set or empty.
    public func string(_ key: String) -> String? {
        guard let value = entries[key]?.value, !value.isEmpty else { return nil }
        return value
    }

    public func required(_ key: String, _ why: String = "required") throws(SettingsError) -> String {
        guard let value = string(key) else { throw error(key, "missing (\(why))") }
        return value
    }

    /// `Y`/`N` (or yes/no, true/false).
    public func bool(_ key: String, default fallback: Bool) throws(SettingsError) -> Bool {
        guard let value = string(key) else { return fallback }
        switch value.uppercased() {
        case "Y", "YES", "TRUE": return true
        case "N", "NO", "FALSE": return false
        default: throw error(key, "'\(value)' is not Y or N")
        }
    }

    public func int(_ key: String, default fallback: Int?, range: ClosedRange<Int> = 0...Int.max) throws(SettingsError) -> Int? {
        guard let value = string(key) else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw error(key, "'\(value)' is not a whole number in \(range.lowerBound)...\(range.upperBound == Int.max ? "" : "\(range.upperBound)")")
        }
        return number
    }

    public func requiredInt(_ key: String, default fallback: Int? = nil, range: ClosedRange<Int>, _ why: String) throws(SettingsError) -> Int {
        guard let value = try int(key, default: fallback, range: range) else { throw error(key, "missing (\(why))") }
        return value
    }

    /// A path as written, or relative to the settings file's folder when it exists there
    /// and not relative to the working directory.
    public func path(_ key: String) -> String? {
        guard let value = string(key) else { return nil }
        if value.hasPrefix("/") || FileManager.default.fileExists(atPath: value) { return value }
        let beside = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(value).path
        return FileManager.default.fileExists(atPath: beside) ? beside : value
    }

    /// ``path(_:)`` of a file that must be readable.
    public func existingFile(_ key: String) throws(SettingsError) -> String? {
        guard let path = path(key) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else { throw error(key, "cannot read \(path)") }
        return path
    }

    /// A path as written, or relative to the settings file's folder: for files Wellhead
    /// creates (the journal, the admin socket), which need not exist yet.
    public func besideSettings(_ value: String) -> String {
        if value.hasPrefix("/") { return value }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(value).path
    }
}
