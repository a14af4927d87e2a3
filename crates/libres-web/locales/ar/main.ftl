## Libres — الواجهة العامة باللغة العربية.

site-name = Libres
site-tagline = سجل المعتقلين السياسيين
demo-banner = بيانات تجريبية اصطناعية — لا يوجد فيها أي شخص حقيقي
nav-home = الرئيسية
nav-persons = الأشخاص
# فاصل القوائم (الجنسيات، الشروط).
list-separator = { "، " }
lang-label = اللغة
footer-text = Libres برنامج حر لتوثيق حالات المعتقلين السياسيين. لا يستخدم هذا الموقع ملفات تعريف الارتباط ولا أي تتبّع.

## الصفحة الرئيسية

home-title = المعتقلون السياسيون بالأرقام
home-held = لا يزالون محرومين من حريتهم: في السجن أو قيد الإقامة الجبرية أو مختفين
home-as-of = حتى تاريخ { $date }
home-latest-announcements = أحدث إعلانات الإفراج: المُعلَن مقابل المُتحقَّق منه
home-total = الأشخاص المسجّلون
home-by-country = حسب بلد الاحتجاز
home-by-status = حسب الوضع الحالي
home-counts-note = تحصي هذه الأرقام فقط الأشخاص الذين وافقت عائلاتهم على النشر، كما في القائمة: أما من رفضت عائلاتهم النشر فلا تُذكر أسماؤهم ولا يُحتسبون هنا، كي لا يدل أي رقم على أحدهم.
home-empty = لا يضم السجل أي شخص حتى الآن.
home-search-title = البحث في السجل

## البحث والقائمة

search-label = الاسم
search-button = بحث
filter-country = البلد
filter-status = الوضع
filter-any = الكل
list-title = الأشخاص
list-results =
    { PLURAL($count) ->
        [zero] لا أحد
        [one] شخص واحد
        [two] شخصان
        [few] { $count } أشخاص
        [many] { $count } شخصًا
       *[other] { $count } شخص
    }
list-born = الميلاد: { $date }
list-arrested = الاعتقال: { $date }
list-empty = لا يوجد شخص منشور يطابق البحث.
list-suggest = هل تقصد:
search-hint = يجد البحث أيضًا الأسماء المكتوبة بطريقة مختلفة ولها النطق نفسه (Yoandry وYoandri)، وصيغ التدليل (Pepe وJosé)، وأدوات الأسماء المكتوبة متصلة (Delacruz).
list-page = الصفحة { $page } من { $pages }
list-prev = السابق
list-next = التالي
list-pagination = التنقل بين الصفحات
col-name = الاسم
col-country = البلد
col-place = المكان
col-province = المحافظة
col-status = الوضع
col-count = عدد الأشخاص

## صفحة الشخص

person-id = المعرّف
person-aliases = يُعرف أيضًا باسم
person-country = بلد الاحتجاز
person-province = المحافظة
person-birth-date = تاريخ الميلاد
person-nationality = الجنسية
person-occupation = المهنة
person-status = الوضع الحالي
person-status-note = يُستنتج الوضع من التسلسل الزمني للأحداث ولا يُكتب يدويًا.
person-summary = ملخص
person-detentions = حالات الاحتجاز
person-timeline = التسلسل الزمني
person-timeline-empty = لم تُسجَّل أي أحداث بعد.
person-sources = المصادر
dates-note = تتبع التواريخ معيار EDTF: تدل «~» على تاريخ تقريبي، و«?» على تاريخ غير مؤكد، و«X» على رقم مجهول.
det-arrest-date = تاريخ الاعتقال
det-arrest-place = مكان الاعتقال
det-authority = الجهة التي نفذت الاعتقال
det-charges = التهم
det-court = المحكمة
det-sentence = الحكم
det-sentence-months =
    { PLURAL($months) ->
        [zero] أقل من شهر
        [one] شهر واحد
        [two] شهران
        [few] { $months } أشهر
        [many] { $months } شهرًا
       *[other] { $months } شهر
    }
det-prison = السجن
event-release-kind = نوع الإفراج
event-conditions = الشروط
event-place = المكان
event-unverified = غير مُتحقَّق منه: لا يدعم هذا التغيّر في الوضع أي مصدر منشور أو تحقّق بعد.
event-verified-by = تحقّقت منه
event-announcement = مُدرج في إعلان إفراج
event-sources = المصادر
source-kind = النوع
source-publisher = الناشر
source-date = التاريخ

## الوضع (مستنتج من التسلسل الزمني)

status-detained = رهن الاحتجاز
status-disappeared = اختفاء قسري
status-house_arrest = إقامة جبرية
status-conditional_release = خارج السجن بشروط
status-released = إفراج دون شروط
status-exiled = في المنفى
status-died_in_custody = وفاة أثناء الاحتجاز
status-unknown = غير معروف
status-desc-detained = في السجن أو في حجز الشرطة.
status-desc-disappeared = رهن احتجاز الدولة، ومكان الاحتجاز مجهول.
status-desc-house_arrest = خارج السجن، لكن مع إلزام بالبقاء في المنزل.
status-desc-conditional_release = خارج السجن بشروط قابلة للإلغاء: ليست حرية كاملة.
status-desc-released = إفراج دون شروط أو بعد انقضاء مدة العقوبة.
status-desc-exiled = طرد من البلاد أو نفي كشرط للإفراج.
status-desc-died_in_custody = وفاة أثناء احتجاز الدولة.
status-desc-unknown = لم تُسجَّل أي أحداث بعد.

## أنواع الأحداث

event-arrest = اعتقال
event-charge = توجيه اتهام
event-trial = محاكمة
event-sentence = صدور حكم
event-transfer = نقل إلى مكان احتجاز آخر
event-hunger_strike = إضراب عن الطعام
event-health_alert = تنبيه صحي
event-release = إفراج
event-revocation = إلغاء الإفراج
event-re_arrest = إعادة اعتقال
event-new_charge = اتهام جديد
event-disappearance = اختفاء قسري
event-reappearance = ظهور بعد الاختفاء
event-death_in_custody = وفاة أثناء الاحتجاز
event-exile = نفي

## أنواع الإفراج

release-unconditional = إفراج غير مشروط
release-sentence_served = انقضاء مدة العقوبة
release-parole = إفراج مشروط
release-medical_leave = إجازة طبية خارج السجن
release-early_release = إفراج مبكر
release-substitute_measure = تدبير احترازي بديل
release-house_arrest = إقامة جبرية
release-forced_exile = نفي قسري
release-deportation = ترحيل

## شروط الإفراج

condition-periodic_presentation = المثول الدوري أمام المحكمة
condition-travel_ban = حظر السفر
condition-gag_order = حظر الإدلاء بتصريحات
condition-statelessness = التجريد من الجنسية
condition-confiscation = مصادرة الممتلكات

## أنواع المصادر

source-kind-article = مقال صحفي
source-kind-ngo_report = تقرير منظمة غير حكومية
source-kind-testimony = شهادة
source-kind-court_document = وثيقة قضائية
source-kind-official_statement = بيان رسمي
source-kind-social_media = وسائل التواصل الاجتماعي

## البلدان

country-AR = الأرجنتين
country-BY = بيلاروس
country-CL = تشيلي
country-CO = كولومبيا
country-CR = كوستاريكا
country-CU = كوبا
country-DE = ألمانيا
country-EC = الإكوادور
country-ES = إسبانيا
country-FR = فرنسا
country-GB = المملكة المتحدة
country-IT = إيطاليا
country-MM = ميانمار
country-MX = المكسيك
country-NI = نيكاراغوا
country-PA = بنما
country-PE = بيرو
country-PT = البرتغال
country-US = الولايات المتحدة
country-VE = فنزويلا

## الأخطاء

error-title-400 = طلب غير صالح
error-title-404 = الصفحة غير موجودة
error-title-500 = خطأ داخلي
error-bad-page = يجب أن يكون رقم الصفحة عددًا صحيحًا يبدأ من 1.
error-bad-per-page = يجب أن يكون عدد الصفوف في الصفحة عددًا صحيحًا من 1 إلى 1000.
error-bad-country = بلد غير معروف: استخدم رمز ISO المكوّن من حرفين، مثل CU أو VE أو NI.
error-bad-status = وضع غير معروف: اختر وضعًا من القائمة.
error-query-too-long = نص البحث طويل جدًا.
error-bad-query = يحتوي العنوان على أحرف غير صالحة.
error-not-found = الصفحة التي تبحث عنها غير موجودة.
error-internal = حدث خلل من جهتنا. يُرجى المحاولة لاحقًا.
error-back-home = العودة إلى الصفحة الرئيسية

## الإعلانات

nav-announcements = الإعلانات
ann-list-title = إعلانات الإفراج
ann-list-note = ما أعلنته الحكومات، مقابل الأشخاص الذين تحققت مجموعات مستقلة من الإفراج عنهم بالاسم.
ann-list-empty = لا يوجد أي إعلان مسجل بعد.
ann-title = الإعلان
ann-date = التاريخ
ann-issuer = الجهة المُعلِنة
ann-claim-kind = ما يدّعي عدّه
ann-claimed = العدد المُعلَن
ann-claim-none = دون رقم
ann-fallback = لا يوجد نص لهذا الإعلان بهذه اللغة؛ يُعرض باللغة التي سُجّل بها.
ann-figures = المُعلَن مقابل المُتحقَّق منه
ann-figures-note = العدد المُعلَن هو عدد الجهة المُعلِنة، دون أسماء. أما الأرقام الأخرى فتعدّ أشخاصًا في السجل، اسمًا باسم؛ وكل رقم يحيل إلى الأسماء التي يتكوّن منها. الأشخاص الذين طلبت عائلاتهم عدم نشر أسمائهم لا يُذكرون بالاسم أبدًا.
ann-small-cell = يُعدّ الأشخاص الذين طلبت عائلاتهم عدم نشر أسمائهم في مجموعات من { $k }: يُقرَّب عددهم في كل رقم إلى أدنى مضاعف لـ{ $k }، كي لا يعطي أي رقم عددهم الدقيق.
ann-country-total = مجموع هذه الإعلانات
ann-country-total-note = تُجمع الأعداد المُعلَنة كما أُعلنت (لا تُجمع الادعاءات المذكورة بالكلمات وحدها)؛ ويُجمع الإفراج المُتحقَّق منه عبر الإعلانات كما تعدّه كل صفحة.
ann-more-than-claimed = تم التحقق من حالات إفراج أكثر مما ادّعاه هذا الإعلان.
ann-figure = الرقم
ann-chart-title = المُعلَن والمُسمّى والمُفرج عنه المُتحقَّق منه ومن لا يزال محرومًا من حريته
ann-bar-claimed = ما أعلنته الجهة المُعلِنة
ann-unnamed =
    { PLURAL($count) ->
        [one] يُعدّ هنا شخص آخر دون ذكر اسمه: طلبت عائلته عدم نشر الاسم.
        [two] يُعدّ هنا شخصان آخران دون ذكر اسميهما: طلبت عائلتاهما عدم نشر الاسمين.
        [few] يُعدّ هنا { $count } أشخاص آخرين دون ذكر أسمائهم: طلبت عائلاتهم عدم نشر الأسماء.
       *[other] يُعدّ هنا { $count } شخصًا آخر دون ذكر أسمائهم: طلبت عائلاتهم عدم نشر الأسماء.
    }
figure-list = الأسماء في القائمة المُعلَنة
figure-matched = المُطابَقون في السجل (بتأكيد شخص)
figure-named = في السجل، مع حدث يخص هذا الإعلان
figure-verified = إفراج مُتحقَّق منه
figure-unverified = إفراج دون مصدر (غير مُتحقَّق منه)
figure-conditional = أُفرج عنهم بشروط
figure-still_confined = نُقلوا إلى الإقامة الجبرية
figure-expelled = نُفوا أو رُحّلوا
figure-full_freedom = أُفرج عنهم دون شروط
figure-reopened = أُلغي الإفراج أو أُعيد اعتقالهم أو وُجّهت إليهم تهم جديدة منذ ذلك الحين
figure-still_held = محرومون من حريتهم مجددًا اليوم
issuer-government = حكومة
issuer-court = محكمة
issuer-church_mediator = وساطة كنسية
issuer-foreign_government = حكومة أجنبية
issuer-other = جهة أخرى
claim-releases = حالات إفراج
claim-pardons = عفو
claim-sentence_reductions = تخفيف أحكام

## المحرومون من الحرية في بلد عبر الزمن
held-chart-title = المحرومون من الحرية في نهاية كل شهر، مع حالات الإفراج والإعلانات
held-chart-note = يعدّ الخط الأشخاص المنشورين من هذا البلد الذين يُبقيهم سجلّهم الزمني محرومين من الحرية (في السجن أو قيد الإقامة الجبرية أو مختفين) في نهاية كل شهر، وفق التواريخ التي مضت يقينًا. والأعمدة هي حالات الإفراج المؤرَّخة داخل كل شهر: المُتحقَّق منها (بمصدر علني أو تحقّق مسجَّل) بالأخضر، والتي بلا مصدر بالرمادي. وكل خط متقطّع إعلان، مرقّم كما في الجدول.
held-month = الشهر
held-held = المحرومون من الحرية
held-releases = حالات الإفراج في الشهر
held-verified = حالات إفراج مُتحقَّق منها
held-unverified = حالات إفراج بلا مصدر
held-announcements = الإعلانات
held-unplaced = { PLURAL($n) ->
        [zero] لا توجد حالة إفراج بتاريخ غير دقيق.
        [one] حالة إفراج واحدة تاريخها غير دقيق (السنة فقط مثلًا) فلا يمكن وضعها في شهر، ولا تظهر.
        [two] حالتا إفراج تاريخهما غير دقيق (السنة فقط مثلًا) فلا يمكن وضعهما في شهر، ولا تظهران.
        [few] { $n } حالات إفراج تواريخها غير دقيقة (السنة فقط مثلًا) فلا يمكن وضعها في شهر، ولا تظهر.
        [many] { $n } حالةً تواريخها غير دقيقة (السنة فقط مثلًا) فلا يمكن وضعها في شهر، ولا تظهر.
       *[other] { $n } حالة إفراج تواريخها غير دقيقة (السنة فقط مثلًا) فلا يمكن وضعها في شهر، ولا تظهر.
    }

## البيانات وموقّعوها
nav-statements = البيانات
st-list-title = البيانات
st-list-empty = لم يُنشر أي بيان بعد.
st-status-open = مفتوح للتوقيع
st-status-closed = مغلق
st-signatures = { PLURAL($n) ->
        [zero] لا توقيعات
        [one] توقيع واحد
        [two] توقيعان
        [few] { $n } توقيعات
        [many] { $n } توقيعًا
       *[other] { $n } توقيع
    }
st-concerns = يتعلق بـ
st-addressed = موجّه إلى
st-fallback = لا توجد نسخة عربية من هذا البيان بعد؛ يُعرض باللغة التي كُتب بها.
st-counts-title = الموقّعون
st-counts-note = يُحتسب التوقيع حين يؤكّده صاحبه من بريده. تظهر الأسماء بعد المراجعة كما اختار كل موقّع: الاسم الكامل أو الأحرف الأولى أو لا شيء. لا تظهر عناوين البريد أبدًا.
st-total = المجموع
st-cat-former_prisoner = سجين سياسي سابق
st-cat-relative = قريب لمعتقل
st-cat-activist_inside = ناشط داخل البلد
st-cat-activist_exile = ناشط في المنفى
st-cat-foreign_supporter = مؤيّد أجنبي
st-cat-organisation = منظمة
st-years = { PLURAL($n) ->
        [zero] أقل من سنة
        [one] سنة واحدة
        [two] سنتان
        [few] { $n } سنوات
        [many] { $n } سنة
       *[other] { $n } سنة
    }
st-verified = مُتحقَّق منه
st-list-names = الأسماء في القائمة
st-list-none = لا تظهر أسماء بعد.
st-download = القائمة العامة
st-sign-title = وقّع هذا البيان
st-sign-note = يُستخدم بريدك لتأكيد توقيعك فقط، ولا يُعرض أو يُنشر أو يُشارك أبدًا.
st-field-name = اسمك
st-field-email = بريدك الإلكتروني
st-field-category = توقّع بصفتك
st-field-years = سنوات السجن (للسجناء السياسيين السابقين فقط)
st-field-country = بلدك
st-field-visibility = في القائمة العامة، أظهر
st-vis-full_name = اسمي الكامل وبلدي
st-vis-initials = الأحرف الأولى من اسمي وبلدي
st-vis-counted_only = لا شيء: احتسب توقيعي فقط
st-field-link = أنا سجين سياسي سابق أو قريب لمعتقل، وأسمح للفريق بمطابقة توقيعي مع سجلات السجل.
st-submit = وقّع
st-errors = بعض الإجابات تحتاج إلى مراجعة:
st-err-name = اكتب اسمك في 200 حرف على الأكثر.
st-err-email = اكتب بريدًا يمكنك تلقي التأكيد عليه.
st-err-category = اختر صفتك في التوقيع.
st-err-years_served = سنوات السجن للسجناء السياسيين السابقين فقط، رقمًا من 1 إلى 60.
st-err-country = اختر بلدك.
st-err-visibility = اختر كيف تظهر في القائمة.
st-closed-title = مغلق
st-closed = هذا البيان مغلق ولم يعد يقبل التوقيعات.
st-form-expired-title = انتهت صلاحية النموذج
st-form-expired = انتهت صلاحية هذا النموذج أو أنه لم يأتِ من هذا الموقع. أعد تحميل صفحة البيان ووقّع من جديد.
st-signed-title = تحقّق من بريدك
st-signed-body = أرسلنا رسالة إلى العنوان الذي أعطيته. افتح الرابط الذي فيها لتأكيد توقيعك: لا يُحتسب قبل ذلك. إن لم يصل شيء خلال دقائق، فابحث في مجلد الرسائل غير المرغوب فيها.
st-confirm-title = أكّد توقيعك
st-confirm-body = اضغط الزر لتأكيد توقيعك على
st-confirm-appears = سيظهر في القائمة باسم { $name }، { $category } (بعد المراجعة).
st-confirm-counted = سيُحتسب دون اسم، بصفة { $category }.
st-confirm-not-you = إن لم توقّع، أو لم توقّع بهذه الصورة، فلا تضغط الزر: لا يُحتسب شيء دونه.
st-confirm-button = أكّد توقيعي
st-confirmed = شكرًا: توقيعك مؤكَّد ومحتسب.
st-already = توقيعك مؤكَّد من قبل، ويُحتسب مرة واحدة.
st-link-bad = رابط التأكيد هذا غير صالح. انسخ الرابط كاملًا من الرسالة، أو وقّع من جديد لتتلقى رابطًا آخر.
st-link-expired = انتهت صلاحية رابط التأكيد هذا. وقّع من جديد لتتلقى رابطًا آخر.
st-link-unknown = هذا التوقيع لم يعد موجودًا.
st-back = العودة إلى البيان

## التواريخ والمدد بالكلمات
date-approx = حوالي { $date }
date-uncertain = { $date } (غير مؤكد)
date-between = بين { $from } و{ $to }
date-before = قبل { $date }
date-after = بعد { $date }
date-unknown = تاريخ غير معروف
dur-years =
    { PLURAL($years) ->
        [zero] { $years } سنة
        [one] سنة واحدة
        [two] سنتان
        [few] { $years } سنوات
        [many] { $years } سنةً
       *[other] { $years } سنة
    }
dur-months =
    { PLURAL($months) ->
        [zero] { $months } شهر
        [one] شهر واحد
        [two] شهران
        [few] { $months } أشهر
        [many] { $months } شهرًا
       *[other] { $months } شهر
    }
dur-years-months = { $years } و{ $months }
age-years =
    { PLURAL($years) ->
        [zero] { $years } سنة
        [one] سنة واحدة
        [two] سنتان
        [few] { $years } سنوات
        [many] { $years } سنةً
       *[other] { $years } سنة
    }
age-between = بين { $from } و{ $to } سنة
person-age-at-arrest = العمر عند أول اعتقال
person-time-held = مدة الحرمان من الحرية
held-still = { $duration }، ولا يزال محتجزًا
held-note = تُحسب المدة من الأيام التي تؤكدها التواريخ، فلا تزيد أبدًا على ما تقوله.
person-last-verified = آخر تحقق
person-lead = باختصار
det-heading = الاحتجاز { $n } من { $total }
det-heading-one = الاحتجاز
det-sentence-pronounced = كما نُطق به
det-sentence-end = نهاية الحكم
det-sentence-ended = انتهى الحكم
det-served = مدة الاحتجاز
in-registry-language = (بالإسبانية، كما سُجّل)

## أرقام البلد والتقارير الشهرية
nav-figures = الأرقام
fig-not-recorded = غير مسجل
fig-held-now =
    { PLURAL($count) ->
        [zero] لا أحد محروم من الحرية الآن
        [one] شخص واحد محروم من الحرية الآن
        [two] شخصان محرومان من الحرية الآن
        [few] { $count } أشخاص محرومين من الحرية الآن
        [many] { $count } شخصًا محرومًا من الحرية الآن
       *[other] { $count } شخص محروم من الحرية الآن
    }
fig-note = في السجن أو تحت الإقامة الجبرية أو مختفون، وفق تسلسلهم الزمني؛ الحالات المنشورة فقط. لا يُحتسب الحدث في شهر إلا إذا وقع تاريخه كله داخله.
fig-contents = في هذه الصفحة
fig-by-status = حسب الوضع
fig-by-province = حسب المحافظة
fig-by-prison = حسب السجن (آخر احتجاز)
fig-by-sex = حسب الجنس
sex-M = رجال
sex-F = نساء
sex-X = غير ذلك
fig-minors = القاصرون عند أول اعتقال
fig-minor-yes = دون 18 عامًا (مؤكد)
fig-minor-no = 18 عامًا فأكثر (مؤكد)
fig-minor-unknown = التواريخ لا تحسم ذلك
fig-nationality = الجنسية
fig-foreigners = أجانب
fig-nationals = مواطنون
fig-foreigners-by-nationality = الأجانب حسب الجنسية
fig-by-court = حسب المحكمة (آخر احتجاز)
fig-court-military = محكمة عسكرية
fig-court-ordinary = محكمة عادية
fig-court-unknown = لا محكمة مسجلة
fig-flows = الدخول والخروج شهرًا بشهر
fig-flows-note = الدخول: الاعتقالات وإعادة الاعتقال وإلغاء الإفراج. الخروج: الإفراج بجميع أنواعه والنفي والوفاة أثناء الاحتجاز. تُحتسب الأحداث غير المؤكدة أيضًا؛ ويميّزها التقرير الشهري.
fig-entries = الدخول
fig-exits = الخروج
fig-month = الشهر
fig-reasons = الأسباب
fig-unplaced = أحداث تواريخها أعم من أن تُحدد في شهر: { $count }.
fig-reports = التقارير الشهرية
fig-list-link = أشخاص هذا البلد
fig-announcements-link = إعلانات الإفراج فيه
report-title = { $country }: تقرير { $month }
report-note = محسوب من التسلسل الزمني في السجل حالةً بحالة؛ الحالات المنشورة فقط. لا تُخلط الأرقام المعلنة أبدًا.
report-held-at-end = المحرومون من الحرية في نهاية الشهر
report-change = التغير خلال الشهر
report-new-cases = حالات جديدة (أول اعتقال)
report-deaths = وفيات أثناء الاحتجاز
report-health-alerts = تنبيهات صحية
report-exits-by-kind = الخروج حسب النوع
report-entries-by-kind = الدخول حسب النوع
report-none = لا شيء مسجل.
report-unverified = غير مؤكد
report-prev = الشهر السابق
report-next = الشهر التالي
fig-table = جدول الأرقام
feed-label = خلاصات Atom
feed-cases-short = حالات جديدة
feed-changes-short = تغيّرات الوضع
feed-cases = { $country }: حالات جديدة
feed-changes = { $country }: تغيّرات الوضع
fig-download = القائمة العامة كاملة (CSV)
