import Testing

@testable import EtcdAPI

@Suite struct EtcdServicesTests {
    @Test func tableHasEveryMethodOfSpecSection1() {
        #expect(EtcdMethod.allCases.count == 46)
    }
}
