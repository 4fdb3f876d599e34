"""The classifier on the labelled posts about other societies in eval/ (see eval/README.md): a floor
under each set's macro-F1, so that a change to the rules that loses what they catch fails here."""

import json
from pathlib import Path

import pytest

from monitor.classify import Classifier
from monitor.classify.jsonl import classify_jsonl, score
from monitor.names import SocietyNames

EVAL = Path(__file__).resolve().parents[2] / "eval"
# file -> (Society, aliases, macro-F1 floor: a little under the score when the floor was set)
SETS = {
    "harrowgate-canal-boats.jsonl": ("Harrowgate Canal Boat Preservation Trust",
                                     ["HCBPT", "@HarrowgateBoats", "#HarrowgateBoats"], 0.93),
    "ollerton-beekeepers.jsonl": ("Ollerton Moor Beekeepers' Association",
                                  ["OMBA", "Ollerton Moor Beekeepers", "Ollerton Beekeepers", "@OllertonBees",
                                   "#OllertonBees"], 0.91),
    "kingsbridge-orchards.jsonl": ("Kingsbridge Orchard and Cider Heritage Society",
                                   ["KOCHS", "@KingsbridgeCider", "#KingsbridgeOrchards", "Orchard Society"], 0.91),
    "thornbury-motorcycles.jsonl": ("Thornbury Vintage Motorcycle Club",
                                    ["TVMC", "Thornbury VMC", "@ThornburyVMC", "#TVMCrally"], 0.91),
    "brannock-bells.jsonl": ("Saint Brannock's Church Bells Trust",
                             ["SBCBT", "Bells Trust", "@BrannockBells", "#BrannockBells"], 0.89),
    "aldermoor-radio.jsonl": ("Aldermoor Amateur Radio Society",
                              ["AARS", "@AldermoorRadio", "#AARSnet", "radio club"], 0.91),
    "penhallow-swimming.jsonl": ("Penhallow Sea Swimming Club", ["PSSC", "@PenhallowSwim", "#PenhallowDip"], 0.89),
    "hexworth-model-engineers.jsonl": ("Hexworth Model Engineering Society",
                                       ["HMES", "@HexworthModels", "#HMESsteam", "model engineers"], 0.89),
    "caldbeck-fell-runners.jsonl": ("Caldbeck Fell Runners", ["CFR", "@CaldbeckFR", "#CaldbeckFell"], 0.88),
    "marsden-film.jsonl": ("Marsden Valley Film Society", ["MVFS", "@MarsdenFilm", "#MVFSscreenings"], 0.84),
    "ashgrove-allotments.jsonl": ("Ashgrove Heritage Allotment Society",
                                  ["AHAS", "@AshgrovePlots", "#AshgroveGrows", "allotment society"], 0.82),
    "wendlebury-towpath-walkers.jsonl": ("Wendlebury Canal Towpath Walkers' Guild",
                                         ["WCTWG", "@WendleburyWalks", "#WendleburyWalks", "the Walkers' Guild"], 0.93),
    "glenrothes-operatic.jsonl": ("Glenrothes Choral and Operatic Society",
                                  ["GCOS", "@GlenrothesChoral", "#GCOSsings", "the operatic society"], 0.95),
    "llanfair-railway.jsonl": ("Llanfair Valley Narrow Gauge Railway Society",
                               ["LVNGRS", "@LlanfairSteam", "#LlanfairSteam", "the railway society"], 0.93),
    "brinscombe-craft-guild.jsonl": ("Brinscombe Women's Institute Craft Guild",
                                     ["BWICG", "@BrinscombeCrafts", "#BrinscombeMakes", "the Craft Guild"], 0.93),
    "tamworth-bowls.jsonl": ("Tamworth Hill Bowls and Social Club",
                             ["THBSC", "@TamworthBowls", "#TamworthBowls", "the bowls club"], 0.95),
    "ravensworth-astronomy.jsonl": ("Ravensworth Astronomical Society",
                                    ["RAS", "@RavensworthAstro", "#RavensworthSkies", "the astro society"], 0.96),
    "cotterill-green-garden.jsonl": ("Friends of Cotterill Green Community Garden",
                                     ["FCGCG", "@CotterillGreen", "#CotterillGrows", "the community garden"], 0.93),
    "kestrel-bay-youth-theatre.jsonl": ("Kestrel Bay Youth Theatre Society",
                                        ["KBYTS", "@KestrelBayYT", "#KBYTSlive", "the youth theatre", "KBYT"], 0.95),
    "porthleven-lifeboat-guild.jsonl": ("Porthleven Lifeboat Fundraisers' Guild",
                                        ["PLFG", "@PorthlevenLFG", "#PorthlevenLifeboat", "the lifeboat guild"], 0.97),
    "ystradowen-male-voice.jsonl": ("Ystradowen Male Voice Choir Society",
                                    ["YMVCS", "@YstradowenMVC", "#YstradowenSings", "Côr Ystradowen", "the male voice"],
                                    0.93),
    "hartlepool-maritime-friends.jsonl": ("Friends of Hartlepool Maritime Museum",
                                          ["FHMM", "@HartlepoolMaritime", "#MaritimeFriends", "the museum friends"],
                                          0.95),
    "lagan-valley-pipe-band.jsonl": ("Lagan Valley Community Pipe Band Association",
                                     ["LVCPBA", "@LaganPipes", "#LaganPipes", "the pipe band", "Lagan Pipes"], 0.95),
    "brighton-queer-archive.jsonl": ("Brighton Queer Heritage Archive Society",
                                     ["BQHAS", "@BrightonQueerArchive", "#QueerHeritageBrighton", "the Queer Archive"],
                                     0.92),
    "wolds-show.jsonl": ("Wolds Agricultural and Country Show Society",
                         ["WACSS", "@WoldsShow", "#WoldsShow2026", "the show society", "Wolds Show"], 0.96),
    "dartmoor-bats.jsonl": ("Dartmoor Bat and Wildlife Recording Group",
                            ["DBWRG", "@DartmoorBats", "#DartmoorBats", "the bat group", "the recording group"], 0.97),
    "sedbergh-cricket.jsonl": ("Sedbergh Village Cricket Club Society",
                               ["SVCCS", "@SedberghCricket", "#SedberghCC", "the cricket club", "Sedbergh CC"], 0.96),
    "bradford-mill-heritage.jsonl": ("Bradford Mill Heritage Trust",
                                     ["BMHT", "@BradfordMills", "#BradfordMills", "the mill trust"], 0.95),
    "morecambe-camera-club.jsonl": ("Morecambe Bay Camera Club",
                                    ["MBCC", "@MorecambeBayCC", "#MBCCphoto", "the camera club"], 0.94),
    "norwich-civic-society.jsonl": ("Norwich Civic Society",
                                    ["NCS", "@NorwichCivic", "#NorwichCivic", "the Civic Society"], 0.96),
    "stroud-handbells.jsonl": ("Stroud Valleys Handbell Society",
                               ["SVHS", "@StroudHandbells", "#StroudBells", "the handbell society"], 0.93),
    "peak-trail-runners.jsonl": ("Peak District Trail Runners' Collective",
                                 ["PDTRC", "@PeakTrailRuns", "#PeakTrails", "the Collective", "the trail runners"],
                                 0.92),
    "leeds-chess-go.jsonl": ("Leeds Chess and Go Society",
                             ["LCGS", "@LeedsChessGo", "#LeedsChess", "the chess club", "the Go club"], 0.95),
    "harrogate-lifelong-learning.jsonl": ("Harrogate Lifelong Learning Society",
                                          ["HLLS", "@HarrogateLearns", "#HLLSgroups", "the learning society"], 0.92),
    "aberdeen-fisherfolk.jsonl": ("Aberdeen Fisherfolk Heritage Society",
                                  ["AFHS", "@AberdeenFisherfolk", "#FisherfolkHeritage", "the heritage society",
                                   "the Fisherfolk"], 0.95),
    "swindon-model-railway.jsonl": ("Swindon Model Railway and Engineering Society",
                                    ["SMRES", "@SwindonModels", "#SMRESexpo", "the model railway society"], 0.93),
}


def test_every_set_in_the_folder_is_listed() -> None:
    assert sorted(p.name for p in EVAL.glob("*.jsonl")) == sorted(SETS)


@pytest.mark.parametrize("name", sorted(SETS))
def test_macro_f1_stays_above_its_floor(name: str) -> None:
    society, aliases, floor = SETS[name]
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    classifier = Classifier(SocietyNames.from_terms(society, aliases))
    results = list(classify_jsonl(lines, classifier))
    assert all(error is None for _, _, error in results)
    gold = [json.loads(line) for line in lines if line.strip()]
    macro = score([output for _, output, _ in results], gold)["macro_f1"]
    assert macro >= floor, f"{name}: macro-F1 {macro:.3f} under its floor {floor}"
