package dev.semiactive;
import ai.djl.ndarray.*;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class DjlSmokeTest {
  @Test void engineStartsOffline() {
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.ones(new ai.djl.ndarray.types.Shape(2, 3));
      assertThat(a.sum().getFloat()).isEqualTo(6f);
      System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    }
  }
}
