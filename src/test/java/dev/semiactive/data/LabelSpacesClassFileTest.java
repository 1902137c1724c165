package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every refusal of {@link LabelSpaces#readClassFile} is one line naming the file and the fix. */
class LabelSpacesClassFileTest {
    @TempDir
    Path dir;

    @Test
    void txtWithOnlyACommentListsNoClasses() {
        Path f = Fixtures.text(dir.resolve("classes.txt"), "# road\n\n   \n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("class file " + f + " lists no classes: add one class name per line");
    }

    @Test
    void yamlWithoutAClassesListOrMap() {
        Path f = Fixtures.text(dir.resolve("classes.yaml"), "classes: 3\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("class file " + f
                        + " has no 'classes' list or map: write classes: [name, ...] or classes: {name: \"#RRGGBB\", ...}");
        Path other = Fixtures.text(dir.resolve("other.yml"), "names: [a, b]\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(other)).isInstanceOf(SemiactiveException.class)
                .hasMessage("class file " + other
                        + " has no 'classes' list or map: write classes: [name, ...] or classes: {name: \"#RRGGBB\", ...}");
    }

    @Test
    void malformedYamlAndJsonNameTheSyntaxToFix() {
        Path yaml = Fixtures.text(dir.resolve("classes.yaml"), "classes: [a\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(yaml)).isInstanceOf(SemiactiveException.class)
                .hasMessageStartingWith("cannot parse " + yaml + " (").hasMessageEndingWith("): fix its YAML syntax")
                .hasMessageNotContaining("\n");
        Path json = Fixtures.text(dir.resolve("classes.json"), "{\"classes\": [\"a\",");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(json)).isInstanceOf(SemiactiveException.class)
                .hasMessageStartingWith("cannot parse " + json + " (").hasMessageEndingWith("): fix its JSON syntax")
                .hasMessageNotContaining("\n");
    }

    @Test
    void emptyYamlIsNotAMapping() {
        Path f = Fixtures.text(dir.resolve("classes.yaml"), "");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage(f + " is empty or not a YAML mapping:"
                        + " write a mapping whose 'classes' key lists the classes (see the documented layout)");
        Path list = Fixtures.text(dir.resolve("list.json"), "[\"a\", \"b\"]");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(list)).isInstanceOf(SemiactiveException.class)
                .hasMessage(list + " is empty or not a JSON object:"
                        + " write a mapping whose 'classes' key lists the classes (see the documented layout)");
    }

    @Test
    void unknownExtensionListsTheKnownOnes() {
        Path f = Fixtures.text(dir.resolve("classes.csv"), "road,sky\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("class file " + f + " has an unknown extension: use .txt, .yaml, .yml or .json");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("classes.txt");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("class file " + f + " does not exist: create it with one class name per line");
    }

    @Test
    void badColourNamesTheLine() {
        Path f = Fixtures.text(dir.resolve("classes.txt"), "# header\nroad\nroof #GG\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("line 3 in " + f + " is '#GG', not a colour: write it as \"#RRGGBB\"");
    }

    @Test
    void badColourInAYamlMapNamesTheKey() {
        Path unquoted = Fixtures.text(dir.resolve("classes.yaml"), "classes:\n  road: #804080\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(unquoted)).isInstanceOf(SemiactiveException.class)
                .hasMessage("classes.road in " + unquoted + " is empty: write colours as quoted \"#RRGGBB\""
                        + " (in YAML an unquoted # starts a comment) or [r, g, b]");
        Path component = Fixtures.text(dir.resolve("c.json"), "{\"classes\": {\"sky\": [0, 300, 0]}}");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(component)).isInstanceOf(SemiactiveException.class)
                .hasMessage("classes.sky in " + component + " is [0,300,0]: colour components must be 0..255");
    }

    @Test
    void atMost254Classes() {
        StringBuilder ok = new StringBuilder();
        for (int i = 0; i < 254; i++) ok.append("c").append(i).append('\n');
        Path f254 = Fixtures.text(dir.resolve("ok.txt"), ok.toString());
        assertThat(LabelSpaces.readClassFile(f254).numClasses()).isEqualTo(254);
        Path f255 = Fixtures.text(dir.resolve("classes.txt"), ok + "c254\n");
        assertThatThrownBy(() -> LabelSpaces.readClassFile(f255)).isInstanceOf(SemiactiveException.class)
                .hasMessage("class file " + f255 + " lists 255 classes: at most 254 are supported (value 255 marks ignored pixels); merge or remove classes");
    }
}
