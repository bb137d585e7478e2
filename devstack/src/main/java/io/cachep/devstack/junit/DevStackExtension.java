package io.cachep.devstack.junit;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.KafkaBroker;
import io.cachep.devstack.RedisServer;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a shared {@link DevStack} and per-test {@link TestIsolation} names as parameters.
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
 * store, and closed when the test run ends. Tests must not stop, kill, pause or restart it, since other tests use it:
 * a test that needs that starts its own {@link KafkaBroker} or {@link RedisServer} (and closes it). Nor should
 * tests depend on what others leave behind: each gets unique names from its {@link TestIsolation}.
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
        return type == DevStack.class || type == TestIsolation.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == DevStack.class ? sharedStack(extensionContext) : isolation(extensionContext);
    }

    /**
     * The store closes {@link AutoCloseable} values when its context closes (JUnit 5.13+), here at the end of the
     * run. A failed start is remembered by the store and rethrown to every later test, instead of each one waiting
     * for a broker that will not come.
     */
    private static DevStack sharedStack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(DevStack.class, key -> DevStack.start(), DevStack.class);
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
