"""The families of rules generalised from writers C's and D's misses (round 5), each checked on
phrasings written for this test — none of them is a prompt of the data set — and on respectful
sentences that use the same words."""

from django.test import SimpleTestCase

from design_review.checker import ReviewContext, review
from design_review.codes import Category
from design_review.visibility import answer_visibility
from programs.models import ActivityKind


def categories(text: str, kind: ActivityKind | None = None) -> set[Category]:
    context = ReviewContext(
        kind=kind, visibility=answer_visibility(kind) if kind else None, classifier=False
    )
    return review(text, context=context).categories()


class FamilyTests(SimpleTestCase):
    def test_each_family_catches_phrasings_it_was_not_written_from(self) -> None:
        cases = {
            # verdicts on a class the learner belongs to
            "Foremen who shout at apprentices are usually the ones who were shouted at.": (
                Category.JUDGEMENT
            ),
            "A proper shift lead never lets a handover run late.": Category.JUDGEMENT,
            "Every team lead must answer every message the same day.": Category.JUDGEMENT,
            "Someone who cannot read a cash-flow statement should not be a manager.": (
                Category.JUDGEMENT
            ),
            "Missing deadlines is mostly arrogance, in our experience.": Category.JUDGEMENT,
            # a failing presumed, a confession asked for
            "Now that you have noticed how your silence worried the team, plan an apology.": (
                Category.JUDGEMENT
            ),
            "You were probably too lenient with the new starters. Note what you will change.": (
                Category.JUDGEMENT
            ),
            "Most of you will have plenty of examples of poor delegation.": Category.JUDGEMENT,
            "Describe the costliest mistake you made as a new manager.": Category.JUDGEMENT,
            "Why doesn't your ward manage the same turnaround?": Category.JUDGEMENT,
            "Wonderful, one more leader who skipped the reading.": Category.JUDGEMENT,
            "There is only one proper way to open a meeting.": Category.JUDGEMENT,
            # groups spoken of as one; regional slang; a holiday as shared time
            "Younger staff are usually less comfortable speaking up in meetings.": (
                Category.CONTEXT
            ),
            "Tell us what you got up to on the weekend, mate.": Category.CONTEXT,
            "Use the bank holiday to rest before the next module.": Category.CONTEXT,
            "It is the last quarter and the other side is ahead: what play do you call?": (
                Category.CONTEXT
            ),
            # honesty: results promised, a career tied to taking part, who did not answer watched
            "Follow these steps and your engagement scores will rise by 15 percent.": (
                Category.HONESTY
            ),
            "Your director will see who has not posted by Friday.": Category.HONESTY,
            "Finishing every module counts towards your promotion next year.": Category.HONESTY,
            "Reply within the next 2 hours to keep your coaching slot.": Category.HONESTY,
        }
        for text, category in cases.items():
            with self.subTest(text):
                self.assertIn(category, categories(text))

    def test_personal_questions_need_a_safe_space(self) -> None:
        for text, kind in (
            ("Write about a bereavement that changed how you lead.", ActivityKind.MISSION),
            (
                "Share how your finances affect your focus at work. Nothing you write here "
                "leaves the group.",
                ActivityKind.DISCUSSION,
            ),
            (
                "Tell the cohort about a time you were treated unfairly. Everybody is expected "
                "to share.",
                ActivityKind.DISCUSSION,
            ),
            ("Who on your team would you fire first, and why?", ActivityKind.DISCUSSION),
        ):
            with self.subTest(text):
                self.assertIn(Category.SAFE_SPACE, categories(text, kind))

    def test_the_same_words_used_respectfully_are_left_alone(self) -> None:
        for text, kind in (
            ("Some people say a leader should always be open; where do you stand?", None),
            ("Should a manager always attend the planning meeting? Share both sides.", None),
            ("Most managers report the same at first; it gets easier.", None),
            ("In cricket, a captain sets the field for each batter. What is your field?", None),
            ("It can help to simply listen for a while.", None),
            ("Perhaps you want to be honest and kind at the same time.", None),
            ("If you fell behind during the audit, that is normal; pick up where you left.", None),
            ("HR can see who answered the survey; managers see only group results.", None),
            (
                "The cohort reads this thread, so leave out names and confidential details.",
                ActivityKind.DISCUSSION,
            ),
            (
                "Your cohort can read this thread. It is not anonymous, so write as you would "
                "in a meeting.",
                ActivityKind.DISCUSSION,
            ),
            ("Ask what happened before asking who was responsible.", None),
        ):
            with self.subTest(text):
                self.assertEqual(categories(text, kind), set())


class RoundSixFamilyTests(SimpleTestCase):
    """The families generalised from writer E's misses (round 6), on phrasings written for this
    test (none is a row of the data set) and on respectful sentences using the same words."""

    def test_each_family_catches_phrasings_it_was_not_written_from(self) -> None:
        cases = {
            # a verdict on whoever has a failing
            "A supervisor who avoids the night shift is not really managing.": Category.JUDGEMENT,
            "Someone who shouts at a trainee has no business running a ward.": Category.JUDGEMENT,
            "Anybody who still skips the huddle should ask themselves why.": Category.JUDGEMENT,
            "Burnout happens only to leaders who have not learnt to say no.": Category.JUDGEMENT,
            "Team leads who hoard decisions are usually insecure.": Category.JUDGEMENT,
            "Managers from family-run companies tend to find delegation hard.": Category.JUDGEMENT,
            "Lateness is really a discipline problem.": Category.JUDGEMENT,
            # a motive or failing put on the learner
            "That instinct of yours to fix everything is the trouble.": Category.JUDGEMENT,
            "Note the meeting you cancelled out of pride.": Category.JUDGEMENT,
            "You know perfectly well who deserves an apology.": Category.JUDGEMENT,
            "Name the skill you clearly lack as a planner.": Category.JUDGEMENT,
            "Do you stay late to look indispensable?": Category.JUDGEMENT,
            "Reflect on why you let the rota slide for so long.": Category.JUDGEMENT,
            "Write what you have been saying that silences the quieter nurses.": (
                Category.JUDGEMENT
            ),
            "Note what your answer says about your commitment.": Category.JUDGEMENT,
            "How dedicated you really are will show this week.": Category.JUDGEMENT,
            # effort waved away; one answer made the mature one
            "All it takes is a smile, and morale will fix itself.": Category.JUDGEMENT,
            "Running a retrospective is pretty straightforward.": Category.JUDGEMENT,
            "For a competent planner this should not be a problem.": Category.JUDGEMENT,
            "Which is the professional reaction to a late delivery?": Category.JUDGEMENT,
            # culture-bound references
            "Your project is a proper dog's breakfast right now.": Category.CONTEXT,
            "Let's do some jugaad and fix the rota.": Category.CONTEXT,
            "As Michael Scott might say, that's what she said.": Category.CONTEXT,
            "Plan the sprint like a telenovela with a twist every week.": Category.CONTEXT,
            "Who on your team is the yorker bowler?": Category.CONTEXT,
            "Share how you stay a good wife and mother while leading.": Category.CONTEXT,
            "Ask each apprentice what their parents think about the night shifts.": (
                Category.CONTEXT
            ),
            "Bring the whole crew climbing next Saturday.": Category.CONTEXT,
            # honesty
            "The check-in is anonymous, although answers are tied to your badge number.": (
                Category.HONESTY
            ),
            "Studies prove that coached teams triple their output.": Category.HONESTY,
            "Ninety-five percent of graduates call it life-changing.": Category.HONESTY,
            "This is the one module that determines whether you succeed as a leader.": (
                Category.HONESTY
            ),
            "Our facilitators answer every question 24/7.": Category.HONESTY,
            "This workshop will solve your team's conflict problems in three weeks flat.": (
                Category.HONESTY
            ),
            "Post today or your points drop to zero.": Category.HONESTY,
            "You are keeping the whole circle waiting.": Category.HONESTY,
            "Finishing early will look good at bonus time.": Category.HONESTY,
            "Only the top 5 percent get a badge, and you are not among them.": Category.HONESTY,
        }
        for text, category in cases.items():
            with self.subTest(text):
                self.assertIn(category, categories(text))

    def test_personal_matters_and_people_not_there_need_a_safe_space(self) -> None:
        for text, kind in (
            ("Write down the decision you regret most at work.", ActivityKind.MISSION),
            (
                "Share your latest appraisal ratings so the cohort can compare.",
                ActivityKind.DISCUSSION,
            ),
            ("Write who it was that let the team down, and what they did.", ActivityKind.MISSION),
            ("Make a list of the colleagues you find difficult, one line each.", None),
            ("In two lines, describe a moment you felt humiliated at work.", ActivityKind.MISSION),
            (
                "Answer freely: your notes are shared with the circle at the end.",
                ActivityKind.MISSION,
            ),
        ):
            with self.subTest(text):
                self.assertIn(Category.SAFE_SPACE, categories(text, kind))

    def test_the_same_words_used_respectfully_are_left_alone(self) -> None:
        for text, kind in (
            ("A late start is not a judgement on your character; pick up where you are.", None),
            ("The steps are listed below, and it is straightforward to see why they help.", None),
            ("Have the conversation you have been putting off, when you feel ready.", None),
            ("Plan team events within working hours so that everyone can come.", None),
            ("Managers who listen well are usually trusted more.", None),
            ("There is no leaderboard: share what is useful to you.", ActivityKind.DISCUSSION),
            (
                "Your answers here stay in your journal. Discussion posts are shared with your "
                "cohort.",
                ActivityKind.MISSION,
            ),
            ("Coaches reply within two working days.", None),
        ):
            with self.subTest(text):
                self.assertEqual(categories(text, kind), set())


class RoundSevenFamilyTests(SimpleTestCase):
    """The families generalised from writer F's misses and false alarms (round 7), on
    phrasings written for this test (none is a row of the data set, none is F's wording) and
    on respectful sentences using the same words."""

    def test_each_family_catches_phrasings_it_was_not_written_from(self) -> None:
        cases = {
            # a failing told to the learner as a fact about them
            "You know you did it again at Tuesday's stand-up.": Category.JUDGEMENT,
            "Apologise to the night crew, even though you know better by now.": (
                Category.JUDGEMENT
            ),
            "You have grown far too comfortable with late reports.": Category.JUDGEMENT,
            "You've stopped listening to the warehouse team.": Category.JUDGEMENT,
            "Notice how dismissive you come across in emails.": Category.JUDGEMENT,
            "You are far more impatient than you realise.": Category.JUDGEMENT,
            "With a temper like yours, a pause before replying helps.": Category.JUDGEMENT,
            "Write down the errors you keep making in your rota.": Category.JUDGEMENT,
            "Explain why your first plan was misguided.": Category.JUDGEMENT,
            "At the next huddle, this time really hear them out.": Category.JUDGEMENT,
            # a cause laid on the learner
            "If the ward keeps missing targets, it is because you don't follow up.": (
                Category.JUDGEMENT
            ),
            "When the sales figures dip, the problem lies with your mindset.": Category.JUDGEMENT,
            "Staff keep resigning? Look in the mirror.": Category.JUDGEMENT,
            "If nobody asks questions, that simply proves they have stopped caring.": (
                Category.JUDGEMENT
            ),
            "There is no valid excuse for that, whatever the weather.": Category.JUDGEMENT,
            "He has never even bothered to learn their names.": Category.JUDGEMENT,
            "A coffee for the crew is the least you could do.": Category.JUDGEMENT,
            "Think about the stress you have caused this month.": Category.JUDGEMENT,
            # a class of managers given one failing; a test of character
            "Supervisors who miss handovers usually have an attitude problem.": (
                Category.JUDGEMENT
            ),
            "First-time leaders typically delegate too late.": Category.JUDGEMENT,
            "A site manager ought to walk the floor every morning.": Category.JUDGEMENT,
            "Refusing leave requests tells staff they are not valued.": Category.JUDGEMENT,
            "The rollout will show whether you are tough enough for the role.": (
                Category.JUDGEMENT
            ),
            "Plenty of leads hide behind email. Do not be one of those.": Category.JUDGEMENT,
            # effort waved away; one answer made the correct one
            "Plan the agenda and all the tension will melt away.": Category.JUDGEMENT,
            "Managers who miss deadlines have not planned well enough.": Category.JUDGEMENT,
            "What feedback model is correct for a night shift?": Category.JUDGEMENT,
            "Pick an option. Hint: think about what the handbook says.": Category.JUDGEMENT,
            "Let's face it, your reports are too long.": Category.JUDGEMENT,
            # context: home, leisure, a generation, one city, regional words
            "As a single mother, how do you plan for late shifts?": Category.CONTEXT,
            "After the children have gone to sleep, review the week's numbers.": (Category.CONTEXT),
            "Describe how you set up your home office for hybrid days.": Category.CONTEXT,
            "Reward the team with a golf day at the end of the quarter.": Category.CONTEXT,
            "Before the meeting, go for a morning jog to clear your head.": Category.CONTEXT,
            "Write job ads that appeal to the Instagram generation.": Category.CONTEXT,
            "Negotiate like a true Texan.": Category.CONTEXT,
            "The okada riders at the gate have a lesson for managers.": Category.CONTEXT,
            "Younger employees all want remote work these days.": Category.CONTEXT,
            # honesty: certainty claimed, results for ever, the learner set against quitters
            "This quiz can show you precisely which type of manager you are.": (Category.HONESTY),
            "The survey reveals your hidden strengths.": Category.HONESTY,
            "Our model predicts burnout risk with complete accuracy.": Category.HONESTY,
            "The app measures team morale flawlessly.": Category.HONESTY,
            "Use this checklist and your handovers will never go wrong again.": Category.HONESTY,
            "Most learners quit before this step. Show you are better than them.": (
                Category.HONESTY
            ),
        }
        for text, category in cases.items():
            with self.subTest(text):
                self.assertIn(category, categories(text))

    def test_people_not_there_and_compulsory_sharing_need_a_safe_space(self) -> None:
        for text, kind in (
            ("List the team members whose habits annoy you most.", ActivityKind.MISSION),
            ("Describe two peers who undermine you in meetings.", ActivityKind.DISCUSSION),
            ("Say who else was on the call when it went badly.", ActivityKind.DISCUSSION),
            ("Who at your branch would you never promote?", ActivityKind.DISCUSSION),
            (
                "Include enough detail about your colleague's illness for us to follow.",
                ActivityKind.DISCUSSION,
            ),
            (
                "Everyone in the circle is going to talk about a private struggle this week.",
                ActivityKind.LIVE_SESSION,
            ),
            ("Each of you must answer this before Friday.", ActivityKind.DISCUSSION),
            ("Post your reflection in the team Slack channel.", ActivityKind.MISSION),
            ("We will read out your reflections together on Monday.", ActivityKind.MISSION),
            ("Earn the group's trust by opening up about your week.", ActivityKind.DISCUSSION),
            (
                "Tell the group whether you have ever been harassed at work.",
                ActivityKind.DISCUSSION,
            ),
        ):
            with self.subTest(text):
                self.assertIn(Category.SAFE_SPACE, categories(text, kind))

    def test_the_same_words_used_respectfully_are_left_alone(self) -> None:
        for text, kind in (
            # a curious or neutral question about managers in general (F's false alarms' family)
            ("Should a team lead always make the final call? Say what you think.", None),
            ("Do managers always get the final word? What do you think?", None),
            # a perspective taken on purpose
            ("Look at your agenda as if you were attending for the first time.", None),
            ("Listen to the recording as if you were the customer.", None),
            # honesty offered as a possibility
            ("This is a place where you can be honest with yourself about your week.", None),
            # a comparison defused
            ("Some peers have already replied and some will later; that is fine.", None),
            # the same words, kindly
            ("You know you can ask your coach for help at any time.", None),
            ("If you are too tired after a night shift, leave this for tomorrow.", None),
            ("Notice how impatient you can feel when a meeting overruns.", None),
            ("If this feels hard, it is because you care about getting it right.", None),
            ("This proves that small changes add up.", None),
            ("There is no reason to rush this step.", None),
            ("Managers must never share a team member's medical details.", None),
            ("Breathe slowly and the tension may ease.", None),
            ("What is right for your team may differ from what suits another.", None),
            ("If you feel you have not prepared enough, ask for more time.", None),
            ("Describe a colleague who helped you through a busy week.", None),
            ("Without naming anyone, describe a colleague whose habits frustrate you.", None),
            ("If it suits you, go for a short run at lunchtime.", None),
            ("Take a short walk or a quiet break, whichever you prefer.", None),
            ("Like a true professional, she asked before she acted.", None),
            ("No tool reads tone perfectly, so ask a colleague to read your draft.", None),
            ("This page will tell you exactly where to find the recordings.", None),
            ("Each of you will present your project plan on Friday.", None),
            ("Most people find this step slow at first.", None),
        ):
            with self.subTest(text):
                self.assertEqual(categories(text, kind), set())


class RoundElevenFamilyTests(SimpleTestCase):
    """Round 11's families, from writers G to L's misses and false alarms, each checked on
    phrasings written for this test (none is a prompt of the data set) and on the same words
    used respectfully."""

    def test_each_family_catches_phrasings_it_was_not_written_from(self) -> None:
        cases = {
            # a verdict on a class of managers
            "Supervisors who never delegate are simply being selfish with their time.": (
                Category.JUDGEMENT
            ),
            "A foreman who cannot say no does not understand the job.": Category.JUDGEMENT,
            "Careless team leads leave their handovers to the last minute.": Category.JUDGEMENT,
            "What would a truly dedicated supervisor do on a Saturday shift?": Category.JUDGEMENT,
            "Protect your people, and start acting like a real leader.": Category.JUDGEMENT,
            # a failing asked about as a given
            "How often do you forget to thank the night crew?": Category.JUDGEMENT,
            "How impatient do you get when the printer jams?": Category.JUDGEMENT,
            "Play back the call and notice how harsh you sound.": Category.JUDGEMENT,
            "Write down what you did wrong in the budget talk.": Category.JUDGEMENT,
            "Redo the seating plan, and do it properly this time.": Category.JUDGEMENT,
            # the learner below others; a class asked why it fails
            "Compared with the other buyers in your region, your response times are slow.": (
                Category.JUDGEMENT
            ),
            "The Lyon branch cut waste quickly. What are they doing that you are not?": (
                Category.JUDGEMENT
            ),
            "Why do so many shift managers still struggle with simple rotas?": Category.JUDGEMENT,
            # effort and feeling waved away; sarcasm; one answer made right
            "It was only a small delay, so why did it upset you?": Category.JUDGEMENT,
            "It's a routine audit. Don't turn it into a drama.": Category.JUDGEMENT,
            "Tiredness on the night shift is just part of the job.": Category.JUDGEMENT,
            "Oh, another month where the forms came in late. What a surprise.": (
                Category.JUDGEMENT
            ),
            "Read the three options and explain why B is the best answer.": Category.JUDGEMENT,
            "Stop avoiding the budget talk with your director.": Category.JUDGEMENT,
            "Pick the weakest cashier in your store and write a plan.": Category.JUDGEMENT,
            "You already know which of your reports it is.": Category.JUDGEMENT,
            # context: sport, metaphors, jargon, groups, bodies, time off, diet, family roles
            "Run the briefing like a locker-room speech before kick-off.": Category.CONTEXT,
            "A project is a marathon, not a sprint.": Category.CONTEXT,
            "Don't be a wet blanket when the plan changes.": Category.CONTEXT,
            "Since most of you drive to the depot, use the journey to reflect.": Category.CONTEXT,
            "As digital natives, the apprentices need no training on the new app.": (
                Category.CONTEXT
            ),
            "Female engineers tend to prepare more carefully than their male peers.": (
                Category.CONTEXT
            ),
            "Book the planning workshop for Saturday morning.": Category.CONTEXT,
            "Bring sausage rolls to the Friday huddle; they always go down well.": (
                Category.CONTEXT
            ),
            "Everyone can manage a 10k charity run, so sign the team up.": Category.CONTEXT,
            "We leverage OKR cadences and KPI alignment to optimise robust throughput.": (
                Category.CONTEXT
            ),
            # honesty: for ever, for everyone, in a set time, certified, scare figures, privacy
            "Finish the course and you will never argue with a supplier again.": (Category.HONESTY),
            "Teams who follow this method have zero sick days.": Category.HONESTY,
            "Within four weeks you will become a confident negotiator.": Category.HONESTY,
            "Pass the final quiz and be fully qualified to run any depot.": Category.HONESTY,
            "Our chatbot understands your staff better than you ever could.": Category.HONESTY,
            "This badge is recognised by every employer in the sector.": Category.HONESTY,
            "Learners who skip quizzes are three times more likely to fail.": Category.HONESTY,
            "Nothing typed here can ever be read by anyone at the company.": Category.HONESTY,
            "Act fast: only the first 15 sign-ups get the bonus video.": Category.HONESTY,
            "Your director is notified if you miss the Friday deadline.": Category.HONESTY,
            "Every day you put off this module, your customers feel it.": Category.HONESTY,
            "You're still behind most of the group; catch up tonight.": Category.HONESTY,
        }
        for text, category in cases.items():
            with self.subTest(text):
                self.assertIn(category, categories(text))

    def test_people_not_there_and_personal_matters_need_a_safe_space(self) -> None:
        for text, kind in (
            ("Write down the names of three cashiers you trust least.", ActivityKind.MISSION),
            ("Which of your drivers do you suspect of padding their hours?", None),
            ("Go around the room and each say one fear about your health.", None),
            ("Tell the group which medication you take to sleep.", ActivityKind.DISCUSSION),
            ("List any diagnoses you have had this year.", ActivityKind.DISCUSSION),
            ("Describe your childhood and how it shaped you.", ActivityKind.DISCUSSION),
            ("Ask your reports for anonymous notes, then compare the handwriting.", None),
            (
                "Your journal is private. The best entries will be shared with senior leaders.",
                ActivityKind.MISSION,
            ),
            (
                "This form is anonymous. Please enter your employee number first.",
                ActivityKind.MISSION,
            ),
        ):
            with self.subTest(text):
                self.assertIn(Category.SAFE_SPACE, categories(text, kind))

    def test_the_same_words_used_respectfully_are_left_alone(self) -> None:
        for text, kind in (
            # a holiday named as a date, among others, or for some
            ("The course pauses over Easter, from 3 to 10 April.", None),
            ("Diwali falls on a Monday, so the live call moves to Tuesday.", None),
            ("Ask whether anyone on the team is fasting and would like later breaks.", None),
            ("Teams may mark days such as Hanukkah, Vesak or Easter; ask which matter.", None),
            # a dinner with choices; an easy text for translation; an urgent safety step
            ("The team dinner is optional and the menu is vegetarian-friendly.", None),
            ("Keep the memo short so it is easy to translate.", None),
            ("Report a chemical leak immediately and leave the area.", None),
            ("Hear them out without replying immediately.", None),
            ("She fixed the rota within the hour and told the team.", None),
            # being behind named as expected; a meeting time that works for everyone
            ("If you are behind because of stocktaking, that is fine.", None),
            ("Find a meeting slot that works for everyone in the team.", None),
            # the coach among the readers, said truly
            (
                "Your coach reads this thread too and replies within a week.",
                ActivityKind.DISCUSSION,
            ),
            ("Replies are visible to the whole cohort and your coach.", ActivityKind.DISCUSSION),
            # optional sharing; a resource, not a disclosure; progress visibility
            ("Share a habit that helps with stress, if you'd like to.", ActivityKind.DISCUSSION),
            (
                "Your cohort reads this. Share a podcast on sleep you liked; no details needed.",
                ActivityKind.DISCUSSION,
            ),
            ("Your progress is visible only to you.", ActivityKind.DISCUSSION),
            # the same words, kindly
            ("It is only a draft, so change anything you like.", None),
            ("People can speak up without being embarrassed.", None),
            ("How often do you take a proper lunch break?", None),
            ("Good feedback names a behaviour, not a person.", None),
            ("Compare two versions of your message and pick the clearer one.", None),
            ("Some of you finished early; others will later, and both are fine.", None),
            ("Plan the sprint around the school holidays if your team asks for it.", None),
        ):
            with self.subTest(text):
                self.assertEqual(categories(text, kind), set())
