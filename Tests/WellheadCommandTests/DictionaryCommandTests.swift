import Foundation
import TestSupport
import Testing

/// `wellhead dictionary` as a user runs it: the built binary, its output and exit status.
@Suite struct DictionaryCommandTests {
    @Test func summarisesTheShippedDictionary() throws {
        let result = try WellheadProcess.run(["dictionary", TestDictionaries.path("dictionaries/FIX44.xml")])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("version:        FIX.4.4"))
        #expect(result.standardOutput.contains("messages:       93 ("))
        #expect(result.standardOutput.contains("fields:         912"))
    }

    @Test func brokenDictionaryFailsWithTheFileAndLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wellhead-broken-\(UUID()).xml")
        try #"<fix major="4" minor="4"><messages><message name="X" msgtype="X"><field name="Nope" required="Y"/></message></messages><fields/></fix>"#
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try WellheadProcess.run(["dictionary", file.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("\(file.path):1"))
        #expect(result.standardError.contains("field Nope is not defined"))
    }

    @Test func missingFileFails() throws {
        let result = try WellheadProcess.run(["dictionary", "/nonexistent/FIX44.xml"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("/nonexistent/FIX44.xml"))
    }
}
