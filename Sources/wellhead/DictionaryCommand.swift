import ArgumentParser
import FIXDictionary
import Foundation

/// `wellhead dictionary <path>`: load a data dictionary and summarise it, or say what is wrong.
struct DictionaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictionary",
        abstract: "Load a QuickFIX-format XML data dictionary and print a summary of it."
    )

    @Argument(help: "Path to the dictionary, e.g. dictionaries/FIX44.xml")
    var path: String

    func run() throws {
        do {
            let dictionary = try FIXDictionaryLoader.load(path: path)
            print("\(path)")
            print(FIXDictionarySummary(dictionary))
        } catch {
            var standardError = StandardError()
            print("error: \(error)", to: &standardError)
            throw ExitCode.failure
        }
    }
}

/// Prints to standard error, where a command's diagnostics belong.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
