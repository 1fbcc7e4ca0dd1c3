import Raft

/// The parsed arguments of one scenario command line: `name pos1 pos2 key=value key=(a,b)`.
struct ScenarioArguments {
    var name: String
    var positional: [String] = []
    var named: [(key: String, value: String)] = []

    init(line: String) {
        var tokens: [String] = []
        var current = ""
        var depth = 0
        for character in line {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == " " && depth == 0 {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        name = tokens.first ?? ""
        for token in tokens.dropFirst() {
            if let equals = token.firstIndex(of: "=") {
                named.append((String(token[..<equals]), String(token[token.index(after: equals)...])))
            } else {
                positional.append(token)
            }
        }
    }

    func value(_ key: String) -> String? {
        named.last(where: { $0.key == key })?.value
    }

    func bool(_ key: String, default fallback: Bool) throws(ScenarioError) -> Bool {
        guard let text = value(key) else { return fallback }
        switch text {
        case "true": return true
        case "false": return false
        default: throw ScenarioError("\(key)=\(text): expected true or false")
        }
    }

    func int(_ key: String) throws(ScenarioError) -> Int? {
        guard let text = value(key) else { return nil }
        guard let number = Int(text) else { throw ScenarioError("\(key)=\(text): expected a number") }
        return number
    }

    /// `(1,2,3)`, `(1 2 3)` or `1`.
    func ids(_ key: String) throws(ScenarioError) -> [NodeID]? {
        guard let text = value(key) else { return nil }
        return try Self.parseIDs(text)
    }

    func positionalIDs() throws(ScenarioError) -> [NodeID] {
        var ids: [NodeID] = []
        for token in positional { ids += try Self.parseIDs(token) }
        return ids
    }

    static func parseIDs(_ text: String) throws(ScenarioError) -> [NodeID] {
        let inner = text.filter { $0 != "(" && $0 != ")" }
        var ids: [NodeID] = []
        for part in inner.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let number = UInt64(part) else { throw ScenarioError("\(text): expected node ids") }
            ids.append(NodeID(rawValue: number))
        }
        return ids
    }
}

/// A scenario command that could not run; its message becomes the command's output.
struct ScenarioError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
