import Instruments
import Testing
import TestSupport

@Suite struct ContractMonthTests {
    @Test func monthCodes() throws {
        let letters = "FGHJKMNQUVXZ".map { $0 }
        for (index, letter) in letters.enumerated() {
            let month = try month(2026, index + 1)
            #expect(month.code == letter)
            #expect(ContractMonth.month(forCode: letter) == index + 1)
        }
        #expect(ContractMonth.month(forCode: "A") == nil)
        #expect(ContractMonth.month(forCode: "I") == nil)
        #expect(ContractMonth(year: 2026, month: 13) == nil)
        #expect(ContractMonth(year: 2026, month: 0) == nil)
    }

    @Test func globexSymbols() throws {
        #expect(try month(2026, 12).symbol(root: "CL") == "CLZ6")
        #expect(try month(2027, 1).symbol(root: "CL") == "CLF7")
        #expect(try month(2030, 3).symbol(root: "RB") == "RBH0")
        #expect(try month(2027, 1).shortCode == "F7")
        #expect(try month(2026, 12).description == "2026-12")
    }

    @Test func parsingResolvesTheDecade() throws {
        let reference = try day("2026-11-25")
        let parsed = try #require(ContractMonth.parse(symbol: "CLZ6", reference: reference))
        #expect(try parsed.root == "CL" && parsed.month == month(2026, 12))
        #expect(ContractMonth.parse(symbol: "CLF7", reference: reference)?.month == (try month(2027, 1)))
        #expect(ContractMonth.parse(symbol: "BZF7", reference: reference)?.root == "BZ")
        #expect(ContractMonth.parse(symbol: "BH7", reference: reference)?.root == "B")
        // Within the last twelve months resolves to the past, older to the next decade.
        #expect(ContractMonth.parse(symbol: "CLX5", reference: reference)?.month == (try month(2025, 11)))
        #expect(ContractMonth.parse(symbol: "CLV5", reference: reference)?.month == (try month(2035, 10)))
        #expect(ContractMonth.parse(symbol: "CLZ5", reference: reference)?.month == (try month(2025, 12)))
        #expect(ContractMonth.parse(symbol: "CLK0", reference: try day("2020-04-20"))?.month == (try month(2020, 5)))
        #expect(ContractMonth.parse(symbol: "CLU5", reference: reference)?.month == (try month(2035, 9)))
        // Not symbols.
        for bad in ["", "Z6", "CLZ", "CLA6", "CL6Z", "CLZ66x", "CLZ٦"] {
            #expect(ContractMonth.parse(symbol: bad, reference: reference) == nil, "\(bad)")
        }
    }

    @Test func symbolsRoundTrip() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<1_000 {
            let reference = CalendarDate(daysSinceEpoch: 10_000 + random.next(upTo: 20_000))
            // Anything from twelve months back to eight years ahead comes back as itself.
            let offset = random.next(upTo: 108) - 12
            let original = ContractMonth(containing: reference).advanced(by: offset)
            let root = ["CL", "BZ", "RB", "HO", "B"][random.next(upTo: 5)]
            let parsed = try #require(ContractMonth.parse(symbol: original.symbol(root: root), reference: reference))
            #expect(parsed.root == root)
            #expect(parsed.month == original)
        }
    }

    @Test func orderingAndStepping() throws {
        let december = try month(2026, 12)
        #expect(december.next == (try month(2027, 1)))
        #expect(december.next.previous == december)
        #expect(try month(2027, 1).previous == december)
        #expect(december.advanced(by: 13) == (try month(2028, 1)))
        #expect(december.advanced(by: -12) == (try month(2025, 12)))
        #expect(december.distance(to: try month(2027, 12)) == 12)
        #expect(try month(2026, 11) < december && december < (try month(2027, 1)))
        let shuffled = [try month(2027, 3), try month(2026, 12), try month(2027, 1), try month(2026, 11)]
        #expect(shuffled.sorted().map(\.shortCode) == ["X6", "Z6", "F7", "H7"])
        #expect(december.firstDay == (try day("2026-12-01")))
        #expect(try month(2028, 2).lastDay == (try day("2028-02-29")))
    }
}
