import FIXCodec

/// SplitMix64: a small deterministic generator, so property tests fail the same way twice.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(upTo bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }

    /// Printable text without SOH or '='-sensitive characters being special (FIX allows '=').
    public mutating func text() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_.=/:")
        let length = 1 + next(upTo: 16)
        return String((0..<length).map { _ in alphabet[next(upTo: alphabet.count)] })
    }

    public mutating func msgType() -> String {
        let types = ["0", "1", "A", "D", "8", "AE", "BH", "j"]
        return types[next(upTo: types.count)]
    }

    public mutating func decimal() -> FIXDecimal {
        FIXDecimal(mantissa: Int64(next(upTo: 2_000_000_000)) - 1_000_000_000, scale: UInt8(next(upTo: 9)))
    }
}
