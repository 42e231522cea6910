@testable import Console
import Testing
import TestSupport
import ConsoleAccess
