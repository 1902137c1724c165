package dev.semiactive.train.semi;

/**
 * Which parts of Teacher-Student-Friend training are on. Mean Teacher, CPS and TSF are one method with
 * different terms switched on (an ablation), not three trainers:
 * <ul>
 *   <li>{@code teacherStudent}: an EMA Teacher of the Student gives pseudo-labels on the weak view of
 *       unlabelled images, and the Student learns them on the strong view where they are reliable (L_ts);</li>
 *   <li>{@code crossPseudo}: a Friend network (same architecture, another seed) is trained too, and Student and
 *       Friend supervise each other with their argmax (L_cps); the Friend exists only for this term;</li>
 *   <li>{@code errorMaskDecoder}: the EMD head learns where the Teacher is wrong and its error mask removes
 *       flagged pixels from L_ts; it reads the Teacher's features, so it needs {@code teacherStudent}.</li>
 * </ul>
 * A term whose weight is 0 is switched off by {@link SemiSupervisedMethod} (no Friend at lambda_cps = 0).
 * Every variant also has the supervised term of each trained segmentation network on labelled images.
 */
public record Terms(boolean teacherStudent, boolean crossPseudo, boolean errorMaskDecoder) {
    public Terms {
        if (!teacherStudent && !crossPseudo)
            throw new IllegalArgumentException("a semi-supervised method needs the teacher-student term, the CPS term or both");
        if (errorMaskDecoder && !teacherStudent)
            throw new IllegalArgumentException("the error mask decoder reads the Teacher's features: it needs the teacher-student term");
    }

    /** Student + EMA Teacher + L_ts. */
    public static Terms meanTeacher() {
        return new Terms(true, false, false);
    }

    /** Student + Friend + L_cps. */
    public static Terms cps() {
        return new Terms(false, true, false);
    }

    /** Everything: Student, Friend, EMA Teacher, L_ts, L_cps and (if {@code emd}) the error mask decoder. */
    public static Terms tsf(boolean emd) {
        return new Terms(true, true, emd);
    }

    /**
     * The method's name, recorded in checkpoints: "mean-teacher", "cps" or "tsf" (TSF with or without the
     * EMD: the config key {@code tsf.emd} says which).
     */
    public String methodName() {
        if (teacherStudent && crossPseudo) return "tsf";
        return teacherStudent ? "mean-teacher" : "cps";
    }
}
