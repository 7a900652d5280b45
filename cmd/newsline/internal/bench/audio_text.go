package bench

import "github.com/newsline/newsline/audio"

// audioArticles are the benchmark's fixed articles, written for it: a
// brief, a report and a feature, with the numbers, dates, abbreviations
// and headings news prose has.
var audioArticles = []struct {
	class  string
	script audio.Script
}{
	{"short", audio.Script{
		Title: "City council approves new cycle lanes", Authors: []string{"Maria Lopez"}, Site: "The Riverside Courier", Lang: "en",
		Body: []audio.Block{
			{Text: "The city council voted 7 to 2 on Tuesday to build twelve kilometres of protected cycle lanes along the river, at a cost of $4.5m."},
			{Text: "Work on the first section, between the old bridge and the railway station, is due to start in April. Councillors who opposed the plan said the money would be better spent on repairing roads."},
		},
	}},
	{"medium", audio.Script{
		Title: "Drought pushes farmers to rethink what they grow", Authors: []string{"James Okafor", "Lena Fischer"}, Site: "The Riverside Courier", Lang: "en",
		Body: []audio.Block{
			{Text: "For the third summer in a row, the valley's reservoirs have fallen below half their capacity, and farmers who have grown the same crops for generations are beginning to ask whether they can carry on."},
			{Text: "At a meeting in the town hall on Thursday, more than 200 growers heard from water engineers, agronomists and officials from the regional government. The message was blunt: the rains that once filled the rivers each spring can no longer be relied upon."},
			{Text: "Water use", Heading: true},
			{Text: "Irrigation accounts for roughly 70% of the water drawn from the river. Officials want to cut that share by a fifth before 2030, mostly by replacing open channels with drip systems that deliver water directly to the roots."},
			{Text: "Some farmers have already made the switch. Anna Berg, who grows apples and pears on forty hectares north of the town, said her water bill had fallen by a third since she installed sensors that measure the moisture of the soil. \"It took two seasons to pay for itself,\" she said. \"I wish I had done it ten years ago.\""},
			{Text: "What comes next", Heading: true},
			{Text: "Others say the cost is beyond them. A drip system for a medium-sized farm can cost more than €60,000, and the grants on offer cover only part of it. The regional government said on Friday that it would double the budget for the scheme next year, and promised a decision on new water allowances by the end of the month."},
		},
	}},
	{"long", audio.Script{
		Title: "Inside the lab that wants to make batteries out of salt", Authors: []string{"Priya Raman"}, Site: "The Riverside Courier", Lang: "en",
		Body: []audio.Block{
			{Text: "On the top floor of a former textile mill on the edge of the city, a team of twenty-three chemists and engineers is trying to solve one of the hardest problems in the energy transition: how to store electricity cheaply enough, and for long enough, to keep the lights on when the wind drops and the sun goes down."},
			{Text: "Their answer is sodium, the element that makes up half of ordinary table salt. Most of the batteries in phones, laptops and electric cars rely on lithium, a metal that is mined in only a handful of countries and whose price has swung wildly over the past five years. Sodium, by contrast, can be extracted from sea water almost anywhere."},
			{Text: "A cheaper chemistry", Heading: true},
			{Text: "\"Nobody is going to put our cells in a sports car,\" said Dr. Tomas Novak, who founded the company in 2019 after a decade of research at the university. \"They are heavier than lithium cells and they hold less energy for their size. But for a battery that sits in a shipping container next to a wind farm, weight hardly matters. What matters is the cost of each kilowatt hour, and how many times you can charge and discharge it before it wears out.\""},
			{Text: "On both counts, the company says, its cells are already competitive. In tests run by an independent laboratory last year, a prototype kept 80% of its capacity after 5,000 full cycles, which is roughly what a grid battery goes through in fourteen years of daily use. The company estimates that, made at scale, its cells would cost about a third less than comparable lithium iron phosphate cells."},
			{Text: "Those figures have drawn attention from investors. In March the company raised £38m from a group of backers that includes a pension fund and the investment arm of a regional utility, and it is now building a pilot production line that should turn out its first commercial cells by the end of next year."},
			{Text: "The hard part", Heading: true},
			{Text: "Not everyone is convinced. Batteries that work in a laboratory often run into trouble when they are made by the million, and several start-ups that promised cheaper chemistries have failed at exactly that step. Professor Helen Marsh, who studies energy storage at a rival university and has no connection with the company, said the test results were encouraging but far from conclusive."},
			{Text: "\"The history of this field is full of cells that looked wonderful at the scale of a coin and disappointing at the scale of a factory,\" she said. \"The question is not whether sodium can work. It clearly can. The question is whether this team can make it work reliably, every day, at a price that the market will pay.\""},
			{Text: "Novak does not dispute that. He keeps a list on the wall of his office of the companies that have tried and failed, and he says he reads it every morning. Half of his staff were hired from car makers and chemical plants rather than universities, precisely because they know how production lines go wrong."},
			{Text: "What it means for the grid", Heading: true},
			{Text: "If the company succeeds, the effects could reach well beyond the old mill. The national grid operator estimates that the country will need at least 20 gigawatts of storage by 2035 to make full use of its wind and solar farms, against less than 5 gigawatts today. Cheaper batteries would make that target easier to reach, and would reduce the number of gas-fired power stations that have to be kept on standby for calm, dark evenings."},
			{Text: "For now, the chemists on the top floor are focused on something more modest: getting the pilot line to produce the same cell twice in a row. \"Every battery company is a manufacturing company in the end,\" Novak said, as a robot arm behind him stacked electrodes into a grey metal case. \"We are learning that the hard way, one cell at a time.\""},
		},
	}},
}
