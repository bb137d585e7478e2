package io.cachep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RedisStatsTest {
    private static final String CPU_BEFORE = "# CPU\r\nused_cpu_sys:1.5\r\nused_cpu_user:9.0\r\n"
            + "used_cpu_sys_main_thread:1.0\r\nused_cpu_user_main_thread:8.0\r\n";
    private static final String CPU_AFTER = "# CPU\r\nused_cpu_sys:2.5\r\nused_cpu_user:13.0\r\n"
            + "used_cpu_sys_main_thread:2.0\r\nused_cpu_user_main_thread:11.0\r\n";
    private static final String STATS_BEFORE = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=10,usec=500,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_hset:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n";
    private static final String STATS_AFTER = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=30,usec=1500,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_hset:calls=140,usec=280,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_type:calls=50,usec=25,usec_per_call=0.50,rejected_calls=0,failed_calls=0\r\n";

    @Test
    void shouldCountTheMainThreadsCpuAndTheScriptCallsBetweenTwoReadings() {
        RedisStats used = RedisStats.parse(CPU_AFTER, STATS_AFTER).minus(RedisStats.parse(CPU_BEFORE, STATS_BEFORE));

        assertThat(used.mainThreadCpuSeconds()).isCloseTo(4.0, within(1e-9)); // main thread only: 3 user + 1 sys
        assertThat(used.sysMicrosPer(1000)).isCloseTo(1000.0, within(1e-6));
        assertThat(used.scriptMicrosPer(100)).isCloseTo(10.0, within(1e-9));
        assertThat(used.cpuMicrosPer(1000)).isCloseTo(4000.0, within(1e-6));
        assertThat(used.scriptCalls()).isEqualTo(20);
        assertThat(used.scriptMicros()).isEqualTo(1000);
        assertThat(used.commandsPer(100)).isEqualTo("hset 1.00, type 0.50, evalsha 0.20");
    }

    @Test
    void shouldSumTwoServersUseAsOneRedisWouldHaveHadIt() {
        RedisStats one = RedisStats.parse(CPU_BEFORE, STATS_BEFORE);
        RedisStats sum = RedisStats.none().plus(one).plus(RedisStats.parse(CPU_AFTER, STATS_AFTER));

        assertThat(sum.mainThreadCpuSeconds()).isCloseTo(9.0 + 13.0, within(1e-9)); // main threads: 8 + 1, then 11 + 2
        assertThat(sum.mainThreadSysSeconds()).isCloseTo(1.0 + 2.0, within(1e-9));
        assertThat(sum.scriptCalls()).isEqualTo(40);
        assertThat(sum.scriptMicros()).isEqualTo(2000);
        assertThat(sum.callsByCommand()).containsEntry("hset", 180L).containsEntry("type", 50L).containsEntry("evalsha", 40L);
    }
}
