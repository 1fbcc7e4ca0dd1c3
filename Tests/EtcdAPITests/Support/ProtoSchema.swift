import Foundation

/// A .proto file reduced to what the wire format and the JSON mapping depend on: package, message
/// fields (name, number, type, label, oneof), enum values and service methods.
///
/// Used to compare our own .proto files with etcd's (when etcd's sources are installed) and with
/// the hand-written method table. Options of every kind (gogoproto, google.api.http) are skipped:
/// they do not change the wire format, and that is exactly the difference we expect between the two.
struct ProtoSchema: Equatable {
    /// One field of a message.
    struct Field: Hashable, Comparable, CustomStringConvertible {
        var name: String
        var number: Int
        /// The type as written, without a leading dot (`int64`, `mvccpb.KeyValue`, `SortOrder`).
        var type: String
        var isRepeated: Bool
        /// The enclosing oneof, when there is one: it decides explicit presence on the wire.
        var oneof: String?

        static func < (lhs: Field, rhs: Field) -> Bool { lhs.number < rhs.number }

        var description: String {
            "\(isRepeated ? "repeated " : "")\(type) \(name) = \(number)\(oneof.map { " (oneof \($0))" } ?? "")"
        }
    }

    /// One value of an enum.
    struct EnumValue: Hashable, Comparable, CustomStringConvertible {
        var name: String
        var number: Int

        static func < (lhs: EnumValue, rhs: EnumValue) -> Bool { (lhs.number, lhs.name) < (rhs.number, rhs.name) }

        var description: String { "\(name) = \(number)" }
    }

    /// One rpc of a service.
    struct Method: Hashable, Comparable, CustomStringConvertible {
        var name: String
        var requestType: String
        var clientStreaming: Bool
        var responseType: String
        var serverStreaming: Bool

        static func < (lhs: Method, rhs: Method) -> Bool { lhs.name < rhs.name }

        var description: String {
            "rpc \(name)(\(clientStreaming ? "stream " : "")\(requestType)) returns "
                + "(\(serverStreaming ? "stream " : "")\(responseType))"
        }
    }

    /// The `package` statement.
    var package = ""
    /// Fields of every message, keyed by the dotted name inside the package (`Event`, `RangeRequest`).
    var messages: [String: [Field]] = [:]
    /// Values of every enum, keyed by the dotted name inside the package (`Event.EventType`, `AlarmType`).
    var enums: [String: [EnumValue]] = [:]
    /// Methods of every service, keyed by service name.
    var services: [String: [Method]] = [:]

    /// Every difference between two schemas, one readable line each; empty when they agree.
    /// `self` is labelled "ours", `other` is labelled with `otherLabel`.
    func differences(from other: ProtoSchema, otherLabel: String) -> [String] {
        var out: [String] = []
        if package != other.package {
            out.append("package: ours \(package), \(otherLabel) \(other.package)")
        }
        func compare<T: Hashable & Comparable & CustomStringConvertible>(
            _ kind: String,
            _ ours: [String: [T]],
            _ theirs: [String: [T]]
        ) {
            for name in Set(ours.keys).union(theirs.keys).sorted() {
                guard let mine = ours[name] else {
                    out.append("\(kind) \(name): missing from ours")
                    continue
                }
                guard let their = theirs[name] else {
                    out.append("\(kind) \(name): not in \(otherLabel)")
                    continue
                }
                let onlyOurs = Set(mine).subtracting(their).sorted()
                let onlyTheirs = Set(their).subtracting(mine).sorted()
                for item in onlyOurs { out.append("\(kind) \(name): ours has `\(item)`, \(otherLabel) does not") }
                for item in onlyTheirs { out.append("\(kind) \(name): \(otherLabel) has `\(item)`, ours does not") }
            }
        }
        compare("message", messages, other.messages)
        compare("enum", enums, other.enums)
        compare("service", services, other.services)
        return out
    }
}

extension ProtoSchema {
    /// Why a .proto text could not be read.
    struct ParseError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Parses the proto3 subset etcd's files and ours use: package, imports, options (including
    /// aggregate `{...}` values and `[...]` field options), nested messages and enums, oneofs,
    /// reserved ranges, services with `stream` and option bodies.
    init(parsing text: String) throws {
        var parser = Parser(tokens: Self.tokenize(text))
        self = try parser.parseFile()
    }

    /// Splits proto source into tokens: words (identifiers, dotted names, numbers), string
    /// literals (kept with their quotes) and single punctuation characters. Comments are dropped.
    static func tokenize(_ text: String) -> [String] {
        let chars = Array(text.unicodeScalars)
        var tokens: [String] = []
        var i = 0
        func isWord(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "." || c == "-" || c == "+"
        }
        while i < chars.count {
            let c = chars[i]
            if c.properties.isWhitespace {
                i += 1
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
            } else if c == "\"" || c == "'" {
                var literal = String(c)
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", i + 1 < chars.count {
                        literal.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    literal.unicodeScalars.append(chars[i])
                    i += 1
                }
                literal.unicodeScalars.append(c)
                i += 1
                tokens.append(literal)
            } else if isWord(c) {
                var word = ""
                while i < chars.count, isWord(chars[i]) {
                    word.unicodeScalars.append(chars[i])
                    i += 1
                }
                tokens.append(word)
            } else {
                tokens.append(String(c))
                i += 1
            }
        }
        return tokens
    }

    /// A recursive-descent reader over the tokens.
    private struct Parser {
        let tokens: [String]
        var position = 0
        var schema = ProtoSchema()

        init(tokens: [String]) { self.tokens = tokens }

        var atEnd: Bool { position >= tokens.count }

        mutating func next() throws -> String {
            guard position < tokens.count else { throw ParseError(message: "unexpected end of file") }
            defer { position += 1 }
            return tokens[position]
        }

        func peek(_ offset: Int = 0) -> String? {
            position + offset < tokens.count ? tokens[position + offset] : nil
        }

        mutating func expect(_ token: String) throws {
            let found = try next()
            guard found == token else {
                throw ParseError(message: "expected `\(token)`, found `\(found)` at token \(position - 1)")
            }
        }

        mutating func number() throws -> Int {
            let token = try next()
            let value: Int?
            if token.hasPrefix("0x") || token.hasPrefix("0X") {
                value = Int(token.dropFirst(2), radix: 16)
            } else {
                value = Int(token)
            }
            guard let value else { throw ParseError(message: "expected a number, found `\(token)`") }
            return value
        }

        /// Skips to the end of the current statement (`;`), or past a balanced `{...}` block,
        /// whichever closes it; nested `{}`, `[]` and `()` are balanced on the way.
        mutating func skipStatement() throws {
            var depth = 0
            while true {
                let token = try next()
                switch token {
                case "{", "[", "(": depth += 1
                case "}", "]", ")":
                    depth -= 1
                    if depth == 0, token == "}", peek() != ";" { return }
                case ";" where depth == 0: return
                default: break
                }
            }
        }

        mutating func parseFile() throws -> ProtoSchema {
            while !atEnd {
                let keyword = try next()
                switch keyword {
                case "package":
                    schema.package = try next()
                    try expect(";")
                case "message": try parseMessage(prefix: "")
                case "enum": try parseEnum(prefix: "")
                case "service": try parseService()
                case ";": continue
                default: try skipStatement()  // syntax, import, option
                }
            }
            return schema
        }

        mutating func parseMessage(prefix: String) throws {
            let name = prefix + (try next())
            try expect("{")
            schema.messages[name, default: []] += []
            try parseMessageBody(name: name, oneof: nil)
        }

        /// Reads fields and nested declarations up to the closing brace of a message or a oneof.
        mutating func parseMessageBody(name: String, oneof: String?) throws {
            while true {
                let token = try next()
                switch token {
                case "}": return
                case ";": continue
                case "message": try parseMessage(prefix: name + ".")
                case "enum": try parseEnum(prefix: name + ".")
                case "oneof":
                    let oneofName = try next()
                    try expect("{")
                    try parseMessageBody(name: name, oneof: oneofName)
                case "option", "reserved", "extensions", "extend": try skipStatement()
                default:
                    // A field: [repeated|optional] type name = number [options] ;
                    var isRepeated = false
                    var type = token
                    if token == "repeated" || token == "optional" {
                        isRepeated = token == "repeated"
                        type = try next()
                    }
                    if type == "map" {
                        // map<K, V>: not used by etcd's API, but read it as one type token.
                        var parts = [type]
                        while let part = peek(), part != ">" { parts.append(try next()) }
                        parts.append(try next())
                        type = parts.joined()
                    }
                    let fieldName = try next()
                    try expect("=")
                    let number = try number()
                    if peek() == "[" { try skipBracketed() }
                    try expect(";")
                    if type.hasPrefix(".") { type.removeFirst() }
                    schema.messages[name, default: []].append(
                        Field(name: fieldName, number: number, type: type, isRepeated: isRepeated, oneof: oneof)
                    )
                }
            }
        }

        mutating func skipBracketed() throws {
            try expect("[")
            var depth = 1
            while depth > 0 {
                switch try next() {
                case "[": depth += 1
                case "]": depth -= 1
                default: break
                }
            }
        }

        mutating func parseEnum(prefix: String) throws {
            let name = prefix + (try next())
            try expect("{")
            schema.enums[name, default: []] += []
            while true {
                let token = try next()
                switch token {
                case "}": return
                case ";": continue
                case "option", "reserved": try skipStatement()
                default:
                    try expect("=")
                    let number = try number()
                    if peek() == "[" { try skipBracketed() }
                    try expect(";")
                    schema.enums[name, default: []].append(EnumValue(name: token, number: number))
                }
            }
        }

        mutating func parseService() throws {
            let name = try next()
            try expect("{")
            schema.services[name, default: []] += []
            while true {
                let token = try next()
                switch token {
                case "}": return
                case ";": continue
                case "rpc":
                    let method = try next()
                    let (requestType, clientStreaming) = try parseRPCType()
                    try expect("returns")
                    let (responseType, serverStreaming) = try parseRPCType()
                    if peek() == "{" {
                        try skipBlock()
                    } else {
                        try expect(";")
                    }
                    schema.services[name, default: []].append(
                        Method(
                            name: method,
                            requestType: requestType,
                            clientStreaming: clientStreaming,
                            responseType: responseType,
                            serverStreaming: serverStreaming
                        )
                    )
                default: try skipStatement()  // option
                }
            }
        }

        mutating func parseRPCType() throws -> (String, Bool) {
            try expect("(")
            var type = try next()
            var streaming = false
            if type == "stream" {
                streaming = true
                type = try next()
            }
            try expect(")")
            if type.hasPrefix(".") { type.removeFirst() }
            return (type, streaming)
        }

        mutating func skipBlock() throws {
            try expect("{")
            var depth = 1
            while depth > 0 {
                switch try next() {
                case "{": depth += 1
                case "}": depth -= 1
                default: break
                }
            }
        }
    }
}

/// Where this package's own .proto files and etcd's (when installed) live.
enum ProtoFiles {
    /// Our .proto files, relative to `Sources/EtcdAPI/Protos`, with etcd's location of the same file
    /// relative to etcd's source root.
    static let all: [(ours: String, etcd: String)] = [
        ("authpb/auth.proto", "auth/authpb/auth.proto"),
        ("etcdserverpb/rpc.proto", "etcdserver/etcdserverpb/rpc.proto"),
        ("mvccpb/kv.proto", "mvcc/mvccpb/kv.proto"),
        ("v3electionpb/v3election.proto", "etcdserver/api/v3election/v3electionpb/v3election.proto"),
        ("v3lockpb/v3lock.proto", "etcdserver/api/v3lock/v3lockpb/v3lock.proto"),
    ]

    /// `Sources/EtcdAPI/Protos` of this checkout, found from this source file's path.
    static var ourRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // EtcdAPITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("Sources/EtcdAPI/Protos")
    }

    /// etcd 3.4's source tree as installed by Debian's golang-etcd-server-dev, or the directory
    /// named by `ETCD_SOURCE_ROOT` when set.
    static var etcdRoot: URL {
        if let root = ProcessInfo.processInfo.environment["ETCD_SOURCE_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root)
        }
        return URL(fileURLWithPath: "/usr/share/gocode/src/go.etcd.io/etcd")
    }

    /// Whether every etcd .proto we compare with is present.
    static var etcdIsInstalled: Bool {
        all.allSatisfy { FileManager.default.fileExists(atPath: etcdRoot.appendingPathComponent($0.etcd).path) }
    }

    /// Parses one of our .proto files.
    static func ours(_ path: String) throws -> ProtoSchema {
        try ProtoSchema(parsing: String(contentsOf: ourRoot.appendingPathComponent(path), encoding: .utf8))
    }

    /// Parses one of etcd's .proto files.
    static func etcd(_ path: String) throws -> ProtoSchema {
        try ProtoSchema(parsing: String(contentsOf: etcdRoot.appendingPathComponent(path), encoding: .utf8))
    }
}
