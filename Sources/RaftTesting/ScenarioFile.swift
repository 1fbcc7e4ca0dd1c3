/// A golden scenario file in the datadriven format of etcd-io/raft's interaction tests.
///
/// ```
/// # Comments and blank lines between commands are kept.
/// campaign 1
/// ----
/// (the output the command printed)
///
/// propose-conf-change 1 transition=explicit
/// v2 l3
/// ----
/// (output)
/// ```
///
/// A command is one line, optionally followed by input lines, then `----`, then its expected output
/// up to the next blank line. Running a file replaces every expected output with the actual one;
/// the test compares the whole rewritten text with the file.
public struct ScenarioFile: Sendable {
    /// One command block.
    public struct Command: Sendable {
        /// Comment and blank lines that preceded the command, kept verbatim.
        public var preamble: [String]
        /// The command line.
        public var line: String
        /// Lines between the command line and `----`.
        public var input: [String]
        /// The expected output lines.
        public var expected: [String]
        /// 1-based line number of the command line, for messages.
        public var lineNumber: Int
    }

    /// The commands in order.
    public var commands: [Command]
    /// Comment lines after the last command.
    public var trailer: [String]

    /// Parses `text`.
    public init(parsing text: String) {
        var commands: [Command] = []
        var preamble: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.trimmingSpaces.isEmpty || line.hasPrefix("#") {
                preamble.append(line)
                index += 1
                continue
            }
            let lineNumber = index + 1
            index += 1
            var input: [String] = []
            while index < lines.count && lines[index] != "----" {
                input.append(lines[index])
                index += 1
            }
            index += 1  // the separator
            var expected: [String] = []
            while index < lines.count && !lines[index].isEmpty {
                expected.append(lines[index])
                index += 1
            }
            // Trailing blank lines of the previous block belong to the layout, not to the preamble.
            while preamble.first?.isEmpty == true && !commands.isEmpty { preamble.removeFirst() }
            commands.append(
                Command(preamble: preamble, line: line, input: input, expected: expected, lineNumber: lineNumber))
            preamble = []
        }
        while preamble.last?.isEmpty == true { preamble.removeLast() }
        while preamble.first?.isEmpty == true { preamble.removeFirst() }
        self.commands = commands
        self.trailer = preamble
    }

    /// The file text with each command's output replaced by `outputs[i]`.
    public func rendered(outputs: [[String]]) -> String {
        var text = ""
        for (offset, command) in commands.enumerated() {
            if offset > 0 { text += "\n" }
            for line in command.preamble { text += line + "\n" }
            text += command.line + "\n"
            for line in command.input { text += line + "\n" }
            text += "----\n"
            for line in outputs[offset] where !line.isEmpty { text += line + "\n" }
        }
        if !trailer.isEmpty {
            text += "\n" + trailer.joined(separator: "\n") + "\n"
        }
        return text
    }
}

extension String {
    var trimmingSpaces: Substring {
        var slice = self[...]
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return slice
    }
}
