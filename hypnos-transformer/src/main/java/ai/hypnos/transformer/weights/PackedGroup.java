package ai.hypnos.transformer.weights;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One group of {@linkplain ModelParameters#packed packed} parameters: the named tensors
 * {@code names} are consecutive views of {@code flat}, in this order.
 *
 * @param key   the group's key (e.g. {@code "decay"})
 * @param names the member tensors, in storage order
 * @param flat  the 1-D tensor holding them (owned by the parameters' manager)
 */
public record PackedGroup(String key, List<String> names, NDArray flat) {
}
