import FIXCodec
import FIXDictionary
import TestSupport
import Testing

/// Mutated messages: whatever a counterparty sends, parsing and validation end in a message
/// or a rejection with a FIX reason — never a crash, never an accepted malformed value.
@Suite struct ValidatorPropertyTests {
    static let order = "35=D|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|11=ord-1|"
        + "453=2|448=DESK1|447=D|452=1|802=1|523=OIL|803=4|448=T7|447=D|452=11|"
        + "55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|40=2|44=71.25|59=0|"

    @Test func mutatedOrdersAreRejectedOrValidNeverCrash() throws {
        let validator = FIXValidator(dictionary: TestDictionaries.fix44)
        let parser = FIXParser(dataFields: TestDictionaries.fix44.dataFields)
        let fields = Self.order.split(separator: "|").map(String.init)
        var random = SeededRandom(seed: 2020_04_20)
        let noise = ["", "=", "x", "-1", "0", "999999999999999999999", "1.5", "+2", "20261124-25:00:00", "Y", "~"]
        var accepted = 0, rejected = 0
        for _ in 0..<3_000 {
            var mutated = fields
            for _ in 0...random.next(upTo: 3) {
                let index = 1 + random.next(upTo: mutated.count - 1)
                switch random.next(upTo: 4) {
                case 0: mutated.remove(at: index)
                case 1: mutated.swapAt(index, 1 + random.next(upTo: mutated.count - 1))
                case 2:
                    let tag = mutated[index].split(separator: "=", maxSplits: 1).first.map(String.init) ?? "1"
                    mutated[index] = tag + "=" + noise[random.next(upTo: noise.count)]
                default: mutated.insert(mutated[random.next(upTo: mutated.count)], at: index)
                }
            }
            let body = mutated.joined(separator: "|") + "|"
            guard body.hasPrefix("35="), let message = try? parser.parse(FIXText.message(body)) else { continue }
            do {
                try validator.validate(message)
                accepted += 1
                // Anything accepted must carry a valid Side and a well-formed price.
                #expect(message[54].map { ["1", "2"].contains($0.string) } ?? false)
                if let price = message[44] { #expect(price.decimal != nil) }
            } catch {
                rejected += 1
                #expect(!error.text.isEmpty)
            }
        }
        #expect(accepted > 0 && rejected > 0)
    }
}
