/// TA-Lib and numpy for the tests' reference values: the `ta-lib` package on PyPI ships a
/// binary wheel with TA-Lib's C library inside, so nothing is installed by hand.
public enum TALib {
    /// The `ta-lib` release the Signals tests were checked against (TA-Lib C 0.8.x inside): its
    /// look-backs and seeding are what the indicators match.
    public static let version = "0.8.2"

    public static let packages = PythonPackages(name: "talib", requirements: ["ta-lib==\(version)", "numpy"],
                                                markers: ["talib/__init__.py", "numpy/__init__.py"], override: "WELLHEAD_PYTHON_TALIB")

    /// Runs `python3 script arguments…` with TA-Lib and numpy importable; throws with the
    /// script's output if it fails.
    public static func runPython(script: String, arguments: [String]) throws {
        try packages.run(script: script, arguments: arguments)
    }
}

/// Selenium, driving Debian's `chromium` through `chromium-driver` for the console's browser
/// tests (`.ci/run` installs both).
public enum Selenium {
    public static let packages = PythonPackages(name: "selenium", requirements: ["selenium>=4.20"], markers: ["selenium/__init__.py"],
                                                override: "WELLHEAD_PYTHON_SELENIUM")
}
