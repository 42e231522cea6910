@testable import ConsoleAccess
import Testing
import TestSupport
