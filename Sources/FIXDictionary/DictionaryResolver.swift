/// Turns the collected XML elements into a ``FIXDataDictionary``: checks every reference,
/// expands components into layouts, and names the element of the first fault.
struct DictionaryResolver {
    let file: String

    private func fail(_ code: FIXDictionaryError.Code, _ node: XMLElementNode, _ message: String) -> FIXDictionaryError {
        FIXDictionaryError(code, file: file, line: node.line, element: node.label, message: message)
    }

    func resolve(_ root: XMLElementNode) throws(FIXDictionaryError) -> FIXDataDictionary {
        guard root.name == "fix" else {
            throw fail(.notADictionary, root, "the root element must be <fix>, not <\(root.name)>")
        }
        let type = root.attributes["type"] ?? "FIX"
        guard type == "FIX" || type == "FIXT" else {
            throw fail(.invalidAttribute, root, "type=\"\(type)\" must be FIX or FIXT")
        }
        let major = try integer(root, "major")
        let minor = try integer(root, "minor")
        let servicePack = root.attributes["servicepack"].flatMap(Int.init) ?? 0

        var sections: [String: XMLElementNode] = [:]
        for child in root.children {
            switch child.name {
            case "header", "trailer", "messages", "components", "fields":
                guard sections[child.name] == nil else {
                    throw fail(.unexpectedElement, child, "<\(child.name)> appears twice")
                }
                sections[child.name] = child
            default:
                throw fail(.unexpectedElement, child, "unexpected element under <fix>")
            }
        }
        guard let fieldsNode = sections["fields"] else {
            throw fail(.notADictionary, root, "the dictionary has no <fields> section")
        }
        // Before FIX 4.2, "char" was the FIX name for a string (CompIDs are CHAR in FIX 4.0 and
        // 4.1); from 4.2 it is one character. QuickFIX validates them the same way.
        let charIsString = type == "FIX" && major == 4 && minor < 2
        let fields = try resolveFields(fieldsNode, charIsString: charIsString)
        var fieldIndex: [String: FIXFieldDefinition] = [:]
        for field in fields { fieldIndex[field.name] = field }

        var componentNodes: [String: XMLElementNode] = [:]
        for node in sections["components"]?.children ?? [] {
            guard node.name == "component" else {
                throw fail(.unexpectedElement, node, "only <component> may stand under <components>")
            }
            let name = try attribute(node, "name")
            guard componentNodes[name] == nil else {
                throw fail(.duplicateComponent, node, "component \(name) is defined twice")
            }
            componentNodes[name] = node
        }
        let expander = LayoutExpander(resolver: self, fields: fieldIndex, componentNodes: componentNodes)

        var components: [String: [FIXDefinitionItem]] = [:]
        for (name, node) in componentNodes {
            components[name] = try expander.items(of: node)
            _ = try expander.layout(of: node) // reports recursion and bad references in unused components too
        }

        var messages: [FIXMessageDefinition] = []
        var seenTypes: [String: String] = [:]
        for node in sections["messages"]?.children ?? [] {
            guard node.name == "message" else {
                throw fail(.unexpectedElement, node, "only <message> may stand under <messages>")
            }
            let name = try attribute(node, "name")
            let msgType = try attribute(node, "msgtype")
            if let other = seenTypes[msgType] {
                throw fail(.duplicateMessageType, node, "msgtype \"\(msgType)\" is already used by message \(other)")
            }
            seenTypes[msgType] = name
            let category = node.attributes["msgcat"] ?? "app"
            messages.append(FIXMessageDefinition(
                name: name, msgType: msgType, category: category,
                items: try expander.items(of: node), layout: try expander.layout(of: node)
            ))
        }
        let headerNode = sections["header"] ?? XMLElementNode(name: "header", attributes: [:], line: root.line)
        let trailerNode = sections["trailer"] ?? XMLElementNode(name: "trailer", attributes: [:], line: root.line)
        return FIXDataDictionary(
            type: type, major: major, minor: minor, servicePack: servicePack,
            fields: fields, messages: messages, components: components,
            headerItems: try expander.items(of: headerNode), trailerItems: try expander.items(of: trailerNode),
            header: try expander.layout(of: headerNode), trailer: try expander.layout(of: trailerNode)
        )
    }

    private func resolveFields(_ section: XMLElementNode, charIsString: Bool) throws(FIXDictionaryError) -> [FIXFieldDefinition] {
        var byNumber: [Int: String] = [:]
        var names: Set<String> = []
        var fields: [FIXFieldDefinition] = []
        fields.reserveCapacity(section.children.count)
        for node in section.children {
            guard node.name == "field" else {
                throw fail(.unexpectedElement, node, "only <field> may stand under <fields>")
            }
            let name = try attribute(node, "name")
            let tag = try integer(node, "number")
            guard tag > 0 else { throw fail(.invalidAttribute, node, "number=\"\(tag)\" is not a positive tag number") }
            if let other = byNumber[tag] {
                throw fail(.duplicateFieldNumber, node, "tag \(tag) is already defined as \(other)")
            }
            guard names.insert(name).inserted else {
                throw fail(.duplicateFieldName, node, "field name \(name) is defined twice")
            }
            byNumber[tag] = name
            var type = FIXFieldType(quickFIXName: try attribute(node, "type"))
            if charIsString && type == .char { type = .string }
            var values: [(value: String, description: String)] = []
            var seen: Set<String> = []
            for valueNode in node.children {
                guard valueNode.name == "value" else {
                    throw fail(.unexpectedElement, valueNode, "only <value> may stand under a <field>")
                }
                let value = try attribute(valueNode, "enum")
                guard seen.insert(value).inserted else {
                    throw fail(.duplicateEnumValue, valueNode, "enum value \"\(value)\" of field \(name) appears twice")
                }
                values.append((value, valueNode.attributes["description"] ?? ""))
            }
            fields.append(FIXFieldDefinition(
                tag: tag, name: name, type: type, enumeration: values.isEmpty ? nil : FIXEnumeration(values)
            ))
        }
        return fields
    }

    func attribute(_ node: XMLElementNode, _ key: String) throws(FIXDictionaryError) -> String {
        guard let value = node.attributes[key], !value.isEmpty else {
            throw fail(.missingAttribute, node, "missing attribute \(key)")
        }
        return value
    }

    private func integer(_ node: XMLElementNode, _ key: String) throws(FIXDictionaryError) -> Int {
        let text = try attribute(node, key)
        guard let value = Int(text) else {
            throw fail(.invalidAttribute, node, "\(key)=\"\(text)\" is not a number")
        }
        return value
    }

    func required(_ node: XMLElementNode) throws(FIXDictionaryError) -> Bool {
        switch node.attributes["required"] ?? "N" {
        case "Y", "y": return true
        case "N", "n": return false
        case let other: throw fail(.invalidAttribute, node, "required=\"\(other)\" must be Y or N")
        }
    }

    func error(_ code: FIXDictionaryError.Code, _ node: XMLElementNode, _ message: String) -> FIXDictionaryError {
        fail(code, node, message)
    }
}

/// Checks the items of messages, components and groups and expands components into layouts.
struct LayoutExpander {
    let resolver: DictionaryResolver
    let fields: [String: FIXFieldDefinition]
    let componentNodes: [String: XMLElementNode]

    /// The items of a message, component, header or trailer as the XML states them.
    func items(of node: XMLElementNode) throws(FIXDictionaryError) -> [FIXDefinitionItem] {
        var items: [FIXDefinitionItem] = []
        for child in node.children {
            let name = try resolver.attribute(child, "name")
            let required = try resolver.required(child)
            switch child.name {
            case "field":
                guard fields[name] != nil else {
                    throw resolver.error(.unknownField, child, "field \(name) is not defined in <fields>")
                }
                items.append(.field(name: name, required: required))
            case "component":
                guard componentNodes[name] != nil else {
                    throw resolver.error(.unknownComponent, child, "component \(name) is not defined in <components>")
                }
                items.append(.component(name: name, required: required))
            case "group":
                guard fields[name] != nil else {
                    throw resolver.error(.groupWithoutCountField, child,
                                         "group \(name) has no count field: \(name) is not defined in <fields>")
                }
                guard !child.children.isEmpty else {
                    throw resolver.error(.emptyGroup, child, "group \(name) has no members, so no delimiter field")
                }
                items.append(.group(name: name, required: required, items: try self.items(of: child)))
            default:
                throw resolver.error(.unexpectedElement, child, "expected <field>, <component> or <group>")
            }
        }
        return items
    }

    /// The layout of a message, component, header, trailer or group entry, components expanded.
    func layout(of node: XMLElementNode) throws(FIXDictionaryError) -> FIXLayout {
        var members: [FIXLayout.Member] = []
        var visiting: [String] = []
        if node.name == "component", let name = node.attributes["name"] { visiting.append(name) }
        try expand(node, required: true, into: &members, visiting: &visiting)
        return FIXLayout(members: members)
    }

    private func expand(_ node: XMLElementNode, required parentRequired: Bool,
                        into members: inout [FIXLayout.Member], visiting: inout [String]) throws(FIXDictionaryError) {
        for child in node.children {
            let name = try resolver.attribute(child, "name")
            let required = try resolver.required(child) && parentRequired
            switch child.name {
            case "field":
                guard let field = fields[name] else {
                    throw resolver.error(.unknownField, child, "field \(name) is not defined in <fields>")
                }
                members.append(.init(tag: field.tag, required: required, group: nil))
            case "component":
                guard let component = componentNodes[name] else {
                    throw resolver.error(.unknownComponent, child, "component \(name) is not defined in <components>")
                }
                guard !visiting.contains(name) else {
                    throw resolver.error(.recursiveComponent, child,
                                         "component \(name) contains itself (\((visiting + [name]).joined(separator: " → ")))")
                }
                visiting.append(name)
                try expand(component, required: required, into: &members, visiting: &visiting)
                visiting.removeLast()
            case "group":
                guard let count = fields[name] else {
                    throw resolver.error(.groupWithoutCountField, child,
                                         "group \(name) has no count field: \(name) is not defined in <fields>")
                }
                var entryMembers: [FIXLayout.Member] = []
                // Inside an entry, requiredness is relative to the entry, not the message.
                try expand(child, required: true, into: &entryMembers, visiting: &visiting)
                guard let delimiter = entryMembers.first else {
                    throw resolver.error(.emptyGroup, child, "group \(name) has no members, so no delimiter field")
                }
                let group = FIXGroupLayout(name: name, countTag: count.tag, delimiterTag: delimiter.tag,
                                           entry: FIXLayout(members: entryMembers))
                members.append(.init(tag: count.tag, required: required, group: group))
            default:
                throw resolver.error(.unexpectedElement, child, "expected <field>, <component> or <group>")
            }
        }
    }
}
