import Foundation

/// A QuickFIX settings file as written: a `[DEFAULT]` section and `[SESSION]` sections of
/// `Key=Value` lines, `#` comments. Every value remembers its line for error messages.
public struct SettingsFile: Sendable {
    public struct Entry: Sendable, Hashable {
        public var value: String
        public var line: Int
    }

    public struct Section: Sendable {
        /// `DEFAULT` or `SESSION`.
        public var name: String
        public var line: Int
        public var entries: [String: Entry] = [:]
    }

    public let path: String
    public var defaults: Section
    public var sessions: [Section]

    public static func load(path: String) throws(SettingsError) -> SettingsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError(file: path, message: "cannot read the settings file")
        }
        return try SettingsFile(text: String(decoding: data, as: UTF8.self), path: path)
    }

    public init(text: String, path: String) throws(SettingsError) {
        self.path = path
        var defaults: Section?
        var sessions: [Section] = []
        var current: Section?
        func finish() {
            guard let section = current else { return }
            if section.name == "DEFAULT" { defaults = section } else { sessions.append(section) }
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw SettingsError(file: path, line: number, message: "section header '\(line)' has no closing ']'")
                }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).uppercased()
                guard name == "DEFAULT" || name == "SESSION" else {
                    throw SettingsError(file: path, line: number, message: "unknown section [\(name)]; expected [DEFAULT] or [SESSION]")
                }
                if name == "DEFAULT" && defaults != nil {
                    throw SettingsError(file: path, line: number, message: "a second [DEFAULT] section")
                }
                finish()
                current = Section(name: name, line: number)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError(file: path, line: number, message: "expected Key=Value, found '\(line)'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw SettingsError(file: path, line: number, message: "a value with no key") }
            guard current != nil else {
                throw SettingsError(file: path, line: number, key: key, message: "setting outside any [DEFAULT] or [SESSION] section")
            }
            if let earlier = current!.entries[key] {
                throw SettingsError(file: path, line: number, key: key, message: "set twice in one section (first on line \(earlier.line))")
            }
            current!.entries[key] = Entry(value: value, line: number)
        }
        finish()
        self.defaults = defaults ?? Section(name: "DEFAULT", line: 0)
        self.sessions = sessions
    }
}

/// A settings problem, naming the file, the line, the section and the key.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let section: String?
    public let key: String?
    public let message: String

    public init(file: String, line: Int? = nil, section: String? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.section = section
        self.key = key
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        var text = "\(place): "
        if let section { text += "\(section): " }
        if let key { text += "\(key): " }
        return text + message
    }
}
