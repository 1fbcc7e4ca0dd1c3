import Testing
@testable import CairnServer
@Test func smoke() {}
