import MarketData
import Signals
import Testing

@Suite struct SignalConfigurationTests {
    /// The error `yaml` gives, or a failure if it parses.
    static func error(_ yaml: String, file: String = "signals.yaml") -> SignalConfigurationError? {
        do {
            _ = try SignalConfiguration.parse(yaml: yaml, file: file)
            Issue.record("parsed, expected an error")
            return nil
        } catch {
            return error
        }
    }

    static let minimalCL = """
        roots:
          CL:
            weights: {rsi: 0.5, carry: 0.5}
        """

    @Test func theDefaultConfigurationCoversTheFourRoots() throws {
        let configuration = SignalConfiguration.standard
        #expect(Set(configuration.roots.keys) == ["CL", "BZ", "RB", "HO"])
        #expect(configuration.interval == .oneDay)
        #expect(configuration.parameters(of: .crack321) == SpreadParameters(window: 60, entry: 2, exit: 0.5))
        let cl = try #require(configuration.roots["CL"])
        #expect(cl.weights[.carry] == 0.15 && cl.weights[.brentWTI] == 0.10)
        #expect(cl.thresholds == CompositeThresholds(entry: 0.3, exit: 0.1, minimumConfidence: 0.2))
        #expect(cl.horizon == 5 * MarketData.BarInterval.oneDay.nanoseconds)
        for (root, rootConfiguration) in configuration.roots {
            for (contributor, weight) in rootConfiguration.weights where weight > 0 {
                #expect((0...1).contains(weight))
                if let spread = contributor.spread { #expect(spread.exposure(of: root) != 0) }
            }
            #expect(SignalEngine(root: root, configuration: configuration) != nil)
        }
        #expect(SignalEngine(root: "NG", configuration: configuration) == nil)
    }

    @Test func aFullRootReadsEverySection() throws {
        let configuration = try SignalConfiguration.parse(yaml: """
            interval: 1h
            spreads:
              brentWTI: {window: 30, entry: 2.5, exit: 0.25}
            roots:
              BZ:
                horizon: 12h
                thresholds: {entry: 0.4, exit: 0.05, minimumConfidence: 0.3}
                weights: {macd: 1, brentWTI: 0.25}
                indicators: {rsi: 10, macd: [8, 21, 5], atr: 10, bollinger: 15, bollingerDeviations: 2.5, momentum: 12}
                termStructure: {history: 40, spreadMomentum: 5, basisMomentum: 15, carryScale: 0.1}
            """)
        #expect(configuration.interval == .oneHour)
        #expect(configuration.parameters(of: .brentWTI) == SpreadParameters(window: 30, entry: 2.5, exit: 0.25))
        #expect(configuration.parameters(of: .crack321) == SpreadParameters())
        let bz = try #require(configuration.roots["BZ"])
        #expect(bz.horizon == 12 * 3_600_000_000_000)
        #expect(bz.weights == [.macd: 1, .brentWTI: 0.25])
        #expect(bz.indicators == IndicatorParameters(rsi: 10, macdFast: 8, macdSlow: 21, macdSignal: 5, atr: 10, bollinger: 15,
                                                     bollingerDeviations: 2.5, momentum: 12))
        #expect(bz.termStructure == TermStructureParameters(history: 40, spreadMomentum: 5, basisMomentum: 15, carryScale: 0.1))
        #expect(SignalSet(configuration: configuration).spreads.brentWTI.parameters.window == 30)
    }

    @Test func aWeightOutOfRangeNamesTheFileAndKey() throws {
        let error = try #require(Self.error("""
            roots:
              CL:
                weights: {rsi: 1.5}
            """))
        #expect(error.file == "signals.yaml" && error.keyPath == "roots.CL.weights.rsi" && error.line == 3)
        #expect(error.description == "signals.yaml: roots.CL.weights.rsi: must be a number between 0 and 1, got '1.5'")
        let word = try #require(Self.error("roots:\n  CL:\n    weights:\n      rsi: high\n", file: "/etc/wellhead/desk-signals.yaml"))
        #expect(word.description == "/etc/wellhead/desk-signals.yaml: roots.CL.weights.rsi: must be a number between 0 and 1, got 'high'")
    }

    @Test func unknownKeysAreErrors() throws {
        let misspelt = try #require(Self.error("roots:\n  CL:\n    wieghts: {rsi: 1}\n"))
        #expect(misspelt.keyPath == "roots.CL.wieghts")
        #expect(misspelt.message.hasPrefix("unknown key (expected one of: horizon, thresholds, weights"))
        #expect(try #require(Self.error("intervals: 1d\n")).keyPath == "intervals")
        #expect(try #require(Self.error("roots:\n  CL:\n    weights: {vwap: 1}\n")).keyPath == "roots.CL.weights.vwap")
        #expect(try #require(Self.error("spreads:\n  crack531: {window: 20}\n")).keyPath == "spreads.crack531")
        #expect(try #require(Self.error("spreads:\n  crack321: {windows: 20}\n")).keyPath == "spreads.crack321.windows")
        #expect(try #require(Self.error(Self.minimalCL + "\n    indicators: {rsi: 14, ema: 20}\n")).keyPath == "roots.CL.indicators.ema")
    }

    @Test func valuesThatMakeNoSenseAreErrors() throws {
        let cases: [(yaml: String, keyPath: String, message: String)] = [
            ("roots:\n  CL:\n    weights: {brentWTI: 0.5}\n  RB:\n    weights: {brentWTI: 0.5}\n", "roots.RB.weights.brentWTI",
             "RB is not a leg of the Brent-WTI (legs: BZ, CL); its weight must be 0"),
            ("roots:\n  CL:\n    weights: {rsi: 0}\n", "roots.CL.weights", "at least one weight must be above 0"),
            ("roots:\n  CL:\n    horizon: 5d\n", "roots.CL.weights", "at least one weight must be above 0"),
            (Self.minimalCL + "\n    thresholds: {entry: 0.2, exit: 0.3}\n", "roots.CL.thresholds.exit", "must be below entry (0.2), got 0.3"),
            (Self.minimalCL + "\n    horizon: 5 days\n", "roots.CL.horizon", "must be a duration such as 30m, 4h or 5d, got '5 days'"),
            (Self.minimalCL + "\n    indicators: {macd: [26, 12, 9]}\n", "roots.CL.indicators.macd",
             "the fast period (26) must be below the slow one (12)"),
            (Self.minimalCL + "\n    indicators: {macd: [12, 26]}\n", "roots.CL.indicators.macd",
             "must be a list of three periods [fast, slow, signal], got a list"),
            (Self.minimalCL + "\n    indicators: {rsi: 0}\n", "roots.CL.indicators.rsi", "must be a whole number from 2 to 100000, got '0'"),
            (Self.minimalCL + "\n    termStructure: {history: 2.5}\n", "roots.CL.termStructure.history",
             "must be a whole number from 2 to 100000, got '2.5'"),
            ("spreads:\n  crack321: {entry: 1, exit: 1}\n", "spreads.crack321.exit", "must be below entry (1.0), got 1.0"),
            ("interval: 2d\n", "interval", "must be one of 1m, 5m, 1h, 1d, got '2d'"),
            ("roots:\n  cl:\n    weights: {rsi: 1}\n", "roots.cl", "a root is named in capitals, like CL"),
            ("roots: [CL, BZ]\n", "roots", "must be a mapping of keys, got a list"),
        ]
        for (yaml, keyPath, message) in cases {
            let error = try #require(Self.error(yaml), "\(keyPath)")
            #expect(error.keyPath == keyPath)
            #expect(error.message == message)
            #expect(error.description == "signals.yaml: \(keyPath): \(message)")
        }
    }

    @Test func brokenYAMLNamesTheFile() throws {
        let error = try #require(Self.error("roots: {CL: [\n", file: "bad.yaml"))
        #expect(error.keyPath == nil && error.description.hasPrefix("bad.yaml: not valid YAML"))
        let twice = try #require(Self.error("roots:\n  CL:\n    weights: {rsi: 1}\n    weights: {rsi: 1}\n"))
        #expect(twice.description.hasPrefix("signals.yaml: not valid YAML") && twice.description.contains("duplicated key(s): 'weights'"))
    }

    @Test func anEmptyFileIsAnEmptyConfiguration() throws {
        #expect(try SignalConfiguration.parse(yaml: "").roots.isEmpty)
        #expect(try SignalConfiguration.parse(yaml: Self.minimalCL).roots["CL"]?.weights == [.rsi: 0.5, .carry: 0.5])
    }
}
