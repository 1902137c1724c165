package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Split strings that name several parts: a comma-separated list whose items may be ranges.
 * "tile1,tile3" -> [tile1, tile3]; "tile1-6" or "tile1-tile6" -> tile1..tile6; "1-3,7" -> [1, 2, 3, 7].
 */
final class SplitSpec {
    private static final Pattern RANGE = Pattern.compile("(\\D*)(\\d+)-(\\D*)(\\d+)");

    private SplitSpec() {
    }

    static List<String> expand(String split) {
        if (split == null || split.isBlank())
            throw new SemiactiveException("the split is empty: name it, e.g. train, or tile1-6, or 1,3,5");
        Set<String> out = new LinkedHashSet<>();
        for (String raw : split.split(",")) {
            String item = raw.strip();
            if (item.isEmpty())
                throw new SemiactiveException("split '" + split + "' has an empty item: remove the stray comma");
            Matcher m = RANGE.matcher(item);
            if (m.matches()) {
                String prefix = m.group(1);
                if (!m.group(3).isEmpty() && !m.group(3).equals(prefix))
                    throw new SemiactiveException("split range '" + item + "' mixes prefixes '" + prefix + "' and '" + m.group(3)
                            + "': write it as " + prefix + m.group(2) + "-" + m.group(4));
                int lo = Integer.parseInt(m.group(2));
                int hi = Integer.parseInt(m.group(4));
                if (hi < lo)
                    throw new SemiactiveException("split range '" + item + "' is not ascending: write it low-high, " + prefix + hi + "-" + lo);
                if (hi - lo > 10_000)
                    throw new SemiactiveException("split range '" + item + "' names " + (hi - lo + 1L) + " items, more than 10001: "
                            + "name the items of the split, or a smaller range");
                for (int i = lo; i <= hi; i++) out.add(prefix + i);
            } else {
                out.add(item);
            }
        }
        return new ArrayList<>(out);
    }
}
