import FIXCodec
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Loads QuickFIX-format XML data dictionaries (FIX 4.0–4.4, FIXT 1.1, FIX 5.0 SP0–SP2).
///
/// A SAX pass (libxml2 through `XMLParser`) collects the elements with their line numbers;
/// a second pass resolves names to tags and expands components, reporting the first fault
/// with the file, line and element.
public enum FIXDictionaryLoader {
    public static func load(path: String) throws(FIXDictionaryError) -> FIXDataDictionary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FIXDictionaryError(.unreadableFile, file: path, line: nil, element: "",
                                     message: "cannot read the file (missing or not readable)")
        }
        return try load(data: data, file: path)
    }

    /// Loads from bytes; `file` names the source in errors.
    public static func load(data: Data, file: String = "<memory>") throws(FIXDictionaryError) -> FIXDataDictionary {
        let collector = ElementCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let fault = collector.fault {
            throw FIXDictionaryError(fault.code, file: file, line: fault.line, element: fault.element, message: fault.message)
        }
        guard parsed, let root = collector.root else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "not well-formed XML"
            throw FIXDictionaryError(.malformedXML, file: file, line: parser.lineNumber, element: "",
                                     message: "malformed XML: \(reason) (column \(parser.columnNumber))")
        }
        return try DictionaryResolver(file: file).resolve(root)
    }
}

/// An XML element as the SAX pass saw it.
final class XMLElementNode {
    let name: String
    let attributes: [String: String]
    let line: Int
    var children: [XMLElementNode] = []

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    /// `<field name="Side">`, for error messages.
    var label: String {
        if let name = attributes["name"] { return "<\(self.name) name=\"\(name)\">" }
        if let number = attributes["number"] { return "<\(self.name) number=\"\(number)\">" }
        if let value = attributes["enum"] { return "<\(self.name) enum=\"\(value)\">" }
        return "<\(name)>"
    }
}

struct LoadFault {
    let code: FIXDictionaryError.Code
    let line: Int
    let element: String
    let message: String
}

/// The SAX delegate: builds a light element tree with line numbers.
final class ElementCollector: NSObject, XMLParserDelegate {
    var root: XMLElementNode?
    var stack: [XMLElementNode] = []
    var fault: LoadFault?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        let node = XMLElementNode(name: elementName, attributes: attributes, line: parser.lineNumber)
        if let parent = stack.last {
            parent.children.append(node)
        } else if root == nil {
            root = node
        }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        guard fault == nil else { return }
        fault = LoadFault(code: .malformedXML, line: parser.lineNumber, element: stack.last?.label ?? "",
                          message: "malformed XML: \((parseError as NSError).localizedDescription) (column \(parser.columnNumber))")
    }
}
