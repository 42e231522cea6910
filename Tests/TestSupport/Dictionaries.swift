import FIXDictionary
import Foundation

/// The dictionaries the tests load, found from this file's place in the repository.
public enum TestDictionaries {
    /// The repository root (two levels above `Tests/TestSupport`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    /// Wellhead's shipped FIX 4.4 dictionary, loaded once per test process.
    public static let fix44: FIXDataDictionary = {
        do {
            return try FIXDictionaryLoader.load(path: path("dictionaries/FIX44.xml"))
        } catch {
            fatalError("dictionaries/FIX44.xml does not load: \(error)")
        }
    }()

    /// Loads a dictionary from XML text, naming it `name` in errors.
    public static func load(xml: String, name: String = "test.xml") throws(FIXDictionaryError) -> FIXDataDictionary {
        try FIXDictionaryLoader.load(data: Data(xml.utf8), file: name)
    }
}
