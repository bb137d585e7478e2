package io.cachep.devstack.junit;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.KafkaBroker;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a shared {@link DevStack}, per-test {@link TestIsolation} names and, when asked for, a
 * {@link RedisCluster} of their own as parameters.
 *
 * <pre>{@code
 * @ExtendWith(DevStackExtension.class)
 * class ProjectorIT {
 *     @Test
 *     void shouldProjectUpsert(DevStack stack, TestIsolation isolation) {
 *         String topic = isolation.topic("user-events");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>One stack per test JVM: started on first use (a broker takes seconds to start), kept in the root context's
 * store, and closed when the test run ends. Every test after yours uses it too, so these are the rules (a test that
 * breaks one fails others, later, far from the cause):
 * <ul>
 *   <li>Never pause, stop, kill or restart it: a test that needs that starts its own {@link KafkaBroker} or
 *       {@link RedisServer} and closes it. The shared ones refuse, with a message naming this rule.</li>
 *   <li>Never change what is server-wide on the shared Redis ({@code FLUSHALL}, {@code SCRIPT FLUSH},
 *       {@code CONFIG SET}, {@code DEBUG}) or the broker's configuration: use your own server for that too.</li>
 *   <li>Create topics with {@code TopicSetup} (projector-core), which returns once every partition is served by its
 *       leader. A producer that starts sending to a topic {@code Admin.createTopics} created a moment before can lose
 *       records on this broker (KAFKA-15591) unless it uses {@code ProducerSettings.lossless()}.</li>
 *   <li>Depend on nothing another test leaves behind: each test gets unique names from its {@link TestIsolation}.</li>
 * </ul>
 * Each test is handed the stack only while both processes still run, so a broken one fails the next test at once
 * with the reason instead of by a timeout.
 *
 * <p>A {@link RedisCluster} parameter is a new cluster (three primaries, a replica each) for that test alone, which
 * may kill, pause and restart its nodes; it is closed when the test (or, for {@code @BeforeAll}, the class) ends.
 *
 * <p>A {@link TestIsolation} is per test method when resolved for a test method, a {@code @BeforeEach}/
 * {@code @AfterEach} method or a per-method constructor (the same instance for all of them), and per class when
 * resolved for {@code @BeforeAll} or a per-class constructor.
 */
public final class DevStackExtension implements ParameterResolver {
    private static final Namespace NAMESPACE = Namespace.create(DevStackExtension.class);

    /** Constructors of per-method test instances get the method's context, hence the method's isolation. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == DevStack.class || type == TestIsolation.class || type == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == RedisCluster.class) {
            return ownCluster(extensionContext);
        }
        return type == DevStack.class ? sharedStack(extensionContext) : isolation(extensionContext);
    }

    /** The context's store closes it when the context ends, like the shared stack but per test. */
    private static RedisCluster ownCluster(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("cluster:" + context.getUniqueId(),
                key -> RedisCluster.start(RedisCluster.Options.defaults()), RedisCluster.class);
    }

    /**
     * The store closes {@link AutoCloseable} values when its context closes (JUnit 5.13+), here at the end of the
     * run. A failed start is remembered by the store and rethrown to every later test, instead of each one waiting
     * for a broker that will not come.
     */
    private static DevStack sharedStack(ExtensionContext context) {
        DevStack stack = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(DevStack.class, key -> {
            DevStack started = DevStack.start();
            started.share("every test of this JVM (DevStackExtension)");
            return started;
        }, DevStack.class);
        stack.requireRunning();
        return stack;
    }

    /** Keyed by the context's unique id: a store lookup also sees parent contexts' values, so a class's isolation
     *  would otherwise be handed to its methods. */
    private static TestIsolation isolation(ExtensionContext context) {
        String name = context.getTestMethod().map(Method::getName)
                .orElseGet(() -> context.getTestClass().map(Class::getSimpleName).orElse("test"));
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("isolation:" + context.getUniqueId(),
                key -> TestIsolation.forTest(name), TestIsolation.class);
    }
}
