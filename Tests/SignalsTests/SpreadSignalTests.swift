import FIXCodec
import Signals
import Testing

@Suite struct SpreadSignalTests {
    /// The population z-score of the last value of `window`, two-pass: the reference the
    /// streaming one is checked against.
    static func z(_ window: [Double]) -> Double {
        let mean = window.reduce(0, +) / Double(window.count)
        let sigma = (window.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(window.count)).squareRoot()
        return (window.last! - mean) / sigma
    }

    @Test func crackAndBrentWTIValuesInDollarsPerBarrel() throws {
        let cl = FIXDecimal("70.00")!
        let rb = FIXDecimal("2.1000")!   // $/gal
        let ho = FIXDecimal("2.4000")!
        // (2 × 2.10 × 42 + 2.40 × 42 − 3 × 70) / 3 = (176.4 + 100.8 − 210) / 3 = 22.4
        #expect(SpreadKind.crack321.value(legPrices: [cl, rb, ho]) == FIXDecimal("22.4")!)
        // (2.10 × 42 + 2.40 × 42 − 2 × 70) / 2 = (88.2 + 100.8 − 140) / 2 = 24.5
        #expect(SpreadKind.crack211.value(legPrices: [cl, rb, ho]) == FIXDecimal("24.5")!)
        // BZ − CL
        #expect(SpreadKind.brentWTI.value(legPrices: [FIXDecimal("74.50")!, cl]) == FIXDecimal("4.5")!)
        #expect(SpreadKind.crack321.legRoots == ["CL", "RB", "HO"])
        #expect(SpreadKind.brentWTI.legRoots == ["BZ", "CL"])
        #expect(SpreadKind.crack321.value(legPrices: [cl, rb]) == nil)
    }

    @Test func eachRootsExposureToEachSpread() {
        #expect(SpreadKind.crack321.exposure(of: "CL") == -1)
        #expect(SpreadKind.crack321.exposure(of: "RB") == 1)
        #expect(SpreadKind.crack211.exposure(of: "HO") == 1)
        #expect(SpreadKind.crack211.exposure(of: "BZ") == 0)
        #expect(SpreadKind.brentWTI.exposure(of: "BZ") == 1)
        #expect(SpreadKind.brentWTI.exposure(of: "CL") == -1)
        #expect(SpreadKind.brentWTI.exposure(of: "RB") == 0)
    }

    @Test func defaultsAreSixtyObservationsEnterAtTwoExitAtAHalf() {
        let signal = SpreadSignal(.crack321)
        #expect(signal.parameters == SpreadParameters(window: 60, entry: 2, exit: 0.5))
    }

    @Test func meanReversionStateWithHysteresis() throws {
        var signal = SpreadSignal(.crack321, parameters: SpreadParameters(window: 5, entry: 1.5, exit: 0.5))
        for (time, value) in [0.0, 0, 0, 0].enumerated() {
            #expect(signal.update(value, time: Int64(time)) == nil)
        }
        #expect(signal.zScore == nil && signal.state == .flat)

        // [0, 0, 0, 0, 10]: mean 2, σ 4, z = 8 / 4 = 2 ≥ 1.5: the spread is rich.
        let richChange = signal.update(10, time: 4)
        let rich = try #require(richChange)
        #expect(abs(rich.zScore - 2) < 1e-12 && abs(rich.zScore - Self.z([0, 0, 0, 0, 10])) < 1e-12)
        #expect(rich.previous == .flat && rich.state == .shortSpread && rich.time == 4 && rich.value == 10 && rich.spread == .crack321)

        // [0, 0, 0, 10, 8]: mean 3.6, σ √19.84 ≈ 4.454, z ≈ 0.988: between exit and entry, held.
        #expect(signal.update(8, time: 5) == nil)
        #expect(abs(try #require(signal.zScore) - 4.4 / 19.84.squareRoot()) < 1e-12)
        #expect(signal.state == .shortSpread)

        // [0, 0, 10, 8, 2]: mean 4, σ √17.6 ≈ 4.195, z ≈ −0.477 ≤ 0.5: back, flat.
        let backChange = signal.update(2, time: 6)
        let back = try #require(backChange)
        #expect(abs(back.zScore + 2 / 17.6.squareRoot()) < 1e-12)
        #expect(back.previous == .shortSpread && back.state == .flat)

        // [0, 10, 8, 2, −10]: mean 2, σ √49.6 ≈ 7.043, z ≈ −1.704 ≤ −1.5: cheap.
        let cheapChange = signal.update(-10, time: 7)
        let cheap = try #require(cheapChange)
        #expect(abs(cheap.zScore + 12 / 49.6.squareRoot()) < 1e-12)
        #expect(cheap.previous == .flat && cheap.state == .longSpread)
    }

    @Test func flatDoesNotEnterBelowTheEntryThreshold() {
        var signal = SpreadSignal(.brentWTI, parameters: SpreadParameters(window: 4, entry: 1.8, exit: 0.5))
        // A window of four has |z| ≤ √3 ≈ 1.732 < 1.8: never enters.
        for (time, value) in [0.0, 0, 0, 10, 0, 0, 0, -10].enumerated() {
            #expect(signal.update(value, time: Int64(time)) == nil)
        }
        #expect(signal.state == .flat)
    }

    @Test func aSwingThroughTheOtherEntryReversesDirectly() throws {
        var signal = SpreadSignal(.crack211, parameters: SpreadParameters(window: 5, entry: 1.5, exit: 0.5))
        for value in [0.0, 0, 0, 0] { signal.update(value, time: 0) }
        #expect(signal.update(10, time: 1)?.state == .shortSpread)
        // [0, 0, 0, 10, −30]: mean −4, σ √(3·16 + 196 + 676)/√5 = √184, z = −26 / √184 ≈ −1.917.
        let reversalChange = signal.update(-30, time: 2)
        let reversal = try #require(reversalChange)
        #expect(reversal.previous == .shortSpread && reversal.state == .longSpread)
    }

    @Test func anExactPriceIsReadAsDollars() {
        var signal = SpreadSignal(.brentWTI, parameters: SpreadParameters(window: 2, entry: 0.9, exit: 0.1))
        signal.update(price: FIXDecimal("4.50")!, time: 0)
        #expect(signal.value == 4.5)
    }

    @Test func theBoardObservesEachSpreadWithAPriceAndKeepsItsReadings() throws {
        var board = SpreadBoard(parameters: [.brentWTI: SpreadParameters(window: 2, entry: 0.9, exit: 0.1)])
        #expect(board.observe(time: 1).isEmpty && board.readings.brentWTI == SpreadReading(state: .flat, zScore: nil, entry: 0.9))
        board.update(spread: .brentWTI, price: 4.0)
        board.update(spread: .crack321, price: FIXDecimal("22.40")!)
        _ = board.observe(time: 2)
        board.update(spread: .brentWTI, price: nil as Double?)            // a leg without a price: the last stays
        let changes = board.observe(time: 3)
        // [4, 4]: a flat window, z = 0.
        #expect(changes.isEmpty && board.readings.brentWTI == SpreadReading(state: .flat, zScore: 0, entry: 0.9))
        board.update(spread: .brentWTI, price: 5.0)
        let rich = try #require(board.observe(time: 4).brentWTI)  // [4, 5]: z = 1 ≥ 0.9
        #expect(rich.state == .shortSpread && rich.zScore == 1)
        #expect(board.readings.brentWTI.state == .shortSpread && board.readings.crack321.zScore == nil)
        #expect(board.crack321.value == 22.4 && board.signal(.crack321).parameters == SpreadParameters())
    }
}
