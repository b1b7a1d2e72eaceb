BEGIN TRANSACTION;
CREATE TABLE companies (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	municipality_code VARCHAR(4) NOT NULL, 
	sni_code VARCHAR(8) NOT NULL, 
	industry_group VARCHAR(40) NOT NULL, 
	size_class VARCHAR(10) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "companies" VALUES(1,'Exempel Livs Orust AB','1421','45','retail','1-9');
INSERT INTO "companies" VALUES(2,'Exempel Rör Orust AB','1421','43','construction','10-49');
INSERT INTO "companies" VALUES(3,'Exempel Kompositvarv Orust AB','1421','33.15','boatbuilding','1-9');
INSERT INTO "companies" VALUES(4,'Exempel Bygg Orust AB','1421','42','construction','10-49');
INSERT INTO "companies" VALUES(5,'Exempel Sjöbodsrestaurang Orust AB','1421','56','visitor_economy','50-249');
INSERT INTO "companies" VALUES(6,'Exempel Samverkansförbund Orust AB','1421','84','public_admin','1-9');
INSERT INTO "companies" VALUES(7,'Exempel Precisionsmekanik Orust AB','1421','30','manufacturing','1-9');
INSERT INTO "companies" VALUES(8,'Exempel Sjöbodsrestaurang Orust 2 AB','1421','79','visitor_economy','1-9');
INSERT INTO "companies" VALUES(9,'Exempel Rör Orust 2 AB','1421','43','construction','1-9');
INSERT INTO "companies" VALUES(10,'Exempel Båtvarv Orust AB','1421','33.15','boatbuilding','250+');
INSERT INTO "companies" VALUES(11,'Exempel Markentreprenad Orust AB','1421','43','construction','1-9');
INSERT INTO "companies" VALUES(12,'Exempel Omsorgsgård Orust AB','1421','86','health_care','1-9');
INSERT INTO "companies" VALUES(13,'Exempel Gård Orust AB','1421','01','agriculture','50-249');
INSERT INTO "companies" VALUES(14,'Exempel Kompositvarv Orust 2 AB','1421','30.12','boatbuilding','10-49');
INSERT INTO "companies" VALUES(15,'Exempel Omsorgsgård Orust 2 AB','1421','86','health_care','50-249');
INSERT INTO "companies" VALUES(16,'Exempel Segelbåtsbygg Orust AB','1421','33.15','boatbuilding','1-9');
INSERT INTO "companies" VALUES(17,'Exempel Rör Sotenäs AB','1427','41','construction','1-9');
INSERT INTO "companies" VALUES(18,'Exempel Västerhavsrökeri Sotenäs AB','1427','03','marine_food','250+');
INSERT INTO "companies" VALUES(19,'Exempel Servicekontor Sotenäs AB','1427','84','public_admin','1-9');
INSERT INTO "companies" VALUES(20,'Exempel Kustkonserv Sotenäs AB','1427','03','marine_food','1-9');
INSERT INTO "companies" VALUES(21,'Exempel Badortskrog Sotenäs AB','1427','56','visitor_economy','1-9');
INSERT INTO "companies" VALUES(22,'Exempel Omsorgsgård Sotenäs AB','1427','86','health_care','1-9');
INSERT INTO "companies" VALUES(23,'Exempel Sjöbodsrestaurang Sotenäs AB','1427','93','visitor_economy','1-9');
INSERT INTO "companies" VALUES(24,'Exempel Skärgårdsskaldjur Sotenäs AB','1427','10.2','marine_food','10-49');
INSERT INTO "companies" VALUES(25,'Exempel Västerhavsrökeri Sotenäs 2 AB','1427','10.2','marine_food','250+');
INSERT INTO "companies" VALUES(26,'Exempel Västerhavsrökeri Sotenäs 3 AB','1427','03','marine_food','1-9');
INSERT INTO "companies" VALUES(27,'Exempel Skärgårdshotell Sotenäs AB','1427','56','visitor_economy','10-49');
INSERT INTO "companies" VALUES(28,'Exempel Biogas Sotenäs AB','1427','35','energy_environment','50-249');
INSERT INTO "companies" VALUES(29,'Exempel Livs Sotenäs AB','1427','45','retail','1-9');
INSERT INTO "companies" VALUES(30,'Exempel Processkemi Munkedal AB','1430','24','process_industry','10-49');
INSERT INTO "companies" VALUES(31,'Exempel Komponent Munkedal AB','1430','33','manufacturing','50-249');
INSERT INTO "companies" VALUES(32,'Exempel Åkeri Munkedal AB','1430','53','transport','1-9');
INSERT INTO "companies" VALUES(33,'Exempel Mjölkgård Munkedal AB','1430','01','agriculture','1-9');
INSERT INTO "companies" VALUES(34,'Exempel Bruk Munkedal AB','1430','17','process_industry','1-9');
INSERT INTO "companies" VALUES(35,'Exempel Bruk Munkedal 2 AB','1430','19','process_industry','1-9');
INSERT INTO "companies" VALUES(36,'Exempel Åkeri Munkedal 2 AB','1430','52','transport','250+');
INSERT INTO "companies" VALUES(37,'Exempel Vårdhem Munkedal AB','1430','87','health_care','10-49');
INSERT INTO "companies" VALUES(38,'Exempel Raffinaderiservice Munkedal AB','1430','19','process_industry','10-49');
INSERT INTO "companies" VALUES(39,'Exempel Gränshandel Munkedal AB','1430','47','retail','1-9');
INSERT INTO "companies" VALUES(40,'Exempel Legotillverkning Munkedal AB','1430','25','manufacturing','50-249');
CREATE TABLE meta (
	"key" VARCHAR(50) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('dataset','register');
INSERT INTO "meta" VALUES('source','tests/data/registers: made by main da6f091 (schema before migrations)');
INSERT INTO "meta" VALUES('revision','2');
CREATE TABLE needs (
	id INTEGER NOT NULL, 
	company_id INTEGER NOT NULL, 
	municipality_code VARCHAR(4) NOT NULL, 
	industry_group VARCHAR(40) NOT NULL, 
	competence VARCHAR(40) NOT NULL, 
	need_type VARCHAR(20) NOT NULL, 
	persons INTEGER NOT NULL, 
	horizon VARCHAR(8) NOT NULL, 
	form VARCHAR(20) NOT NULL, 
	level VARCHAR(20) NOT NULL, 
	source VARCHAR(20) NOT NULL, 
	collected_on DATE NOT NULL, 
	broker VARCHAR(100) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	note TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(company_id) REFERENCES companies (id)
);
INSERT INTO "needs" VALUES(1,1,'1421','retail','ecommerce','upskilling',3,'12-36','on_site','post_secondary','company_visit','2026-08-22','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(2,1,'1421','retail','logistics','upskilling',1,'12-36','blended','upper_secondary','survey','2024-03-25','Kompetensmäklare Orust B','in_training','');
INSERT INTO "needs" VALUES(3,2,'1421','construction','carpentry','upskilling',3,'12-36','on_site','upper_secondary','company_visit','2024-10-23','Kompetensmäklare Orust B','in_training','');
INSERT INTO "needs" VALUES(4,2,'1421','construction','construction_machine','recruitment',2,'6-12','blended','upper_secondary','company_visit','2024-11-13','Kompetensmäklare Orust A','matched','');
INSERT INTO "needs" VALUES(5,2,'1421','construction','construction_machine','upskilling',4,'0-6','on_site','upper_secondary','company_visit','2025-06-12','Kompetensmäklare Orust B','matched','');
INSERT INTO "needs" VALUES(6,2,'1421','construction','construction','upskilling',5,'0-6','on_site','upper_secondary','company_visit','2024-10-20','Kompetensmäklare Orust B','in_training','');
INSERT INTO "needs" VALUES(7,3,'1421','boatbuilding','boatbuilding','recruitment',3,'0-6','blended','upper_secondary','company_visit','2025-05-04','Kompetensmäklare Orust A','matched','');
INSERT INTO "needs" VALUES(8,3,'1421','boatbuilding','composites','recruitment',2,'0-6','blended','upper_secondary','survey','2026-01-16','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(9,3,'1421','boatbuilding','composites','upskilling',2,'6-12','on_site','upper_secondary','company_visit','2026-08-13','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(10,4,'1421','construction','construction_machine','recruitment',3,'0-6','blended','upper_secondary','industry_council','2025-11-14','Kompetensmäklare Orust A','matched','Pensionsavgångar de närmaste två åren.');
INSERT INTO "needs" VALUES(11,4,'1421','construction','work_safety','upskilling',4,'6-12','blended','upper_secondary','company_visit','2024-09-23','Kompetensmäklare Orust B','matched','');
INSERT INTO "needs" VALUES(12,4,'1421','construction','electrician','recruitment',3,'12-36','blended','upper_secondary','survey','2023-12-07','Kompetensmäklare Orust B','closed','');
INSERT INTO "needs" VALUES(13,4,'1421','construction','plumbing_hvac','recruitment',4,'12-36','distance','upper_secondary','workshop','2026-03-20','Kompetensmäklare Orust A','new','');
INSERT INTO "needs" VALUES(14,4,'1421','construction','plumbing_hvac','recruitment',3,'0-6','on_site','upper_secondary','company_visit','2024-12-06','Kompetensmäklare Orust B','matched','');
INSERT INTO "needs" VALUES(15,5,'1421','visitor_economy','cleaning','upskilling',10,'12-36','on_site','upper_secondary','workshop','2026-02-24','Kompetensmäklare Orust A','new','');
INSERT INTO "needs" VALUES(16,5,'1421','visitor_economy','chef','recruitment',9,'0-6','blended','upper_secondary','company_visit','2024-11-26','Kompetensmäklare Orust B','matched','Flera företag i kommunen har samma behov.');
INSERT INTO "needs" VALUES(17,5,'1421','visitor_economy','tourism_languages','upskilling',14,'6-12','distance','upper_secondary','company_visit','2025-08-27','Kompetensmäklare Orust A','new','');
INSERT INTO "needs" VALUES(18,5,'1421','visitor_economy','chef','recruitment',4,'6-12','distance','upper_secondary','company_visit','2026-05-24','Kompetensmäklare Orust B','new','Vill kombinera studier med arbete, helst nära hemorten.');
INSERT INTO "needs" VALUES(19,6,'1421','public_admin','childcare','upskilling',4,'0-6','blended','upper_secondary','industry_council','2026-02-15','Kompetensmäklare Orust B','analysed','Ny produktionslinje kräver fler behöriga operatörer.');
INSERT INTO "needs" VALUES(20,6,'1421','public_admin','leadership','upskilling',1,'12-36','on_site','upper_secondary','workshop','2026-09-06','Kompetensmäklare Orust B','new','Vill kombinera studier med arbete, helst nära hemorten.');
INSERT INTO "needs" VALUES(21,7,'1421','manufacturing','cnc','upskilling',3,'0-6','blended','upper_secondary','company_visit','2024-03-04','Kompetensmäklare Orust B','closed','');
INSERT INTO "needs" VALUES(22,7,'1421','manufacturing','forklift','upskilling',2,'0-6','on_site','upper_secondary','company_visit','2026-03-06','Kompetensmäklare Orust B','analysed','');
INSERT INTO "needs" VALUES(23,7,'1421','manufacturing','maintenance','upskilling',3,'6-12','distance','upper_secondary','survey','2023-10-24','Kompetensmäklare Orust A','closed','');
INSERT INTO "needs" VALUES(24,8,'1421','visitor_economy','food_hygiene','recruitment',3,'6-12','blended','upper_secondary','industry_council','2026-05-26','Kompetensmäklare Orust A','new','');
INSERT INTO "needs" VALUES(25,8,'1421','visitor_economy','swedish_workplace','upskilling',2,'0-6','blended','basic','industry_council','2026-08-02','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(26,8,'1421','visitor_economy','digital_skills','upskilling',1,'6-12','on_site','upper_secondary','survey','2025-02-13','Kompetensmäklare Orust A','in_training','');
INSERT INTO "needs" VALUES(27,8,'1421','visitor_economy','chef','upskilling',1,'12-36','on_site','upper_secondary','industry_council','2025-05-18','Kompetensmäklare Orust B','matched','Vill kombinera studier med arbete, helst nära hemorten.');
INSERT INTO "needs" VALUES(28,9,'1421','construction','electrician','upskilling',2,'0-6','on_site','upper_secondary','workshop','2025-04-14','Kompetensmäklare Orust A','analysed','');
INSERT INTO "needs" VALUES(29,9,'1421','construction','project_management','upskilling',2,'0-6','distance','upper_secondary','survey','2025-10-22','Kompetensmäklare Orust B','analysed','');
INSERT INTO "needs" VALUES(30,9,'1421','construction','carpentry','upskilling',2,'6-12','blended','upper_secondary','company_visit','2026-03-01','Kompetensmäklare Orust A','new','');
INSERT INTO "needs" VALUES(31,9,'1421','construction','plumbing_hvac','upskilling',2,'6-12','blended','upper_secondary','company_visit','2026-08-16','Kompetensmäklare Orust B','new','Flera företag i kommunen har samma behov.');
INSERT INTO "needs" VALUES(32,9,'1421','construction','plumbing_hvac','upskilling',2,'12-36','blended','upper_secondary','company_visit','2024-04-11','Kompetensmäklare Orust A','in_training','');
INSERT INTO "needs" VALUES(33,9,'1421','construction','plumbing_hvac','recruitment',2,'6-12','blended','upper_secondary','company_visit','2024-06-07','Kompetensmäklare Orust A','in_training','Ny produktionslinje kräver fler behöriga operatörer.');
INSERT INTO "needs" VALUES(34,9,'1421','construction','electrician','upskilling',3,'12-36','on_site','upper_secondary','company_visit','2025-06-15','Kompetensmäklare Orust A','matched','');
INSERT INTO "needs" VALUES(35,10,'1421','boatbuilding','composites','upskilling',4,'0-6','on_site','upper_secondary','company_visit','2025-12-26','Kompetensmäklare Orust B','matched','');
INSERT INTO "needs" VALUES(36,10,'1421','boatbuilding','marine_mechanic','recruitment',6,'0-6','blended','upper_secondary','survey','2024-02-10','Kompetensmäklare Orust B','in_training','Flera företag i kommunen har samma behov.');
INSERT INTO "needs" VALUES(37,10,'1421','boatbuilding','boatbuilding','upskilling',6,'6-12','blended','upper_secondary','company_visit','2026-03-12','Kompetensmäklare Orust B','analysed','');
INSERT INTO "needs" VALUES(38,11,'1421','construction','construction','upskilling',2,'0-6','blended','upper_secondary','company_visit','2024-06-26','Kompetensmäklare Orust B','closed','Ny produktionslinje kräver fler behöriga operatörer.');
INSERT INTO "needs" VALUES(39,11,'1421','construction','project_management','recruitment',1,'6-12','blended','upper_secondary','survey','2024-09-30','Kompetensmäklare Orust A','in_training','');
INSERT INTO "needs" VALUES(40,12,'1421','health_care','care_assistant','upskilling',2,'0-6','on_site','upper_secondary','workshop','2026-04-02','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(41,12,'1421','health_care','nurse','recruitment',2,'6-12','blended','higher','company_visit','2025-06-06','Kompetensmäklare Orust A','matched','');
INSERT INTO "needs" VALUES(42,12,'1421','health_care','care_assistant','recruitment',1,'6-12','distance','upper_secondary','workshop','2024-12-11','Kompetensmäklare Orust A','in_training','');
INSERT INTO "needs" VALUES(43,12,'1421','health_care','care_assistant','recruitment',1,'6-12','distance','upper_secondary','workshop','2024-08-22','Kompetensmäklare Orust B','matched','Flera företag i kommunen har samma behov.');
INSERT INTO "needs" VALUES(44,13,'1421','agriculture','agriculture','recruitment',12,'12-36','blended','upper_secondary','survey','2026-06-15','Kompetensmäklare Orust B','new','Ny produktionslinje kräver fler behöriga operatörer.');
INSERT INTO "needs" VALUES(45,13,'1421','agriculture','sustainability','upskilling',8,'0-6','on_site','upper_secondary','workshop','2025-04-08','Kompetensmäklare Orust B','matched','');
INSERT INTO "needs" VALUES(46,13,'1421','agriculture','maintenance','recruitment',10,'0-6','on_site','upper_secondary','company_visit','2023-12-14','Kompetensmäklare Orust A','closed','');
INSERT INTO "needs" VALUES(47,13,'1421','agriculture','agriculture','upskilling',5,'6-12','blended','upper_secondary','workshop','2025-07-19','Kompetensmäklare Orust B','analysed','');
INSERT INTO "needs" VALUES(48,13,'1421','agriculture','maintenance','upskilling',6,'6-12','blended','upper_secondary','company_visit','2024-06-10','Kompetensmäklare Orust A','in_training','');
INSERT INTO "needs" VALUES(49,13,'1421','agriculture','agriculture','recruitment',7,'0-6','on_site','upper_secondary','company_visit','2024-09-06','Kompetensmäklare Orust A','in_training','');
INSERT INTO "needs" VALUES(50,14,'1421','boatbuilding','marine_mechanic','recruitment',2,'6-12','blended','upper_secondary','company_visit','2026-07-31','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(51,14,'1421','boatbuilding','carpentry','upskilling',3,'6-12','on_site','upper_secondary','industry_council','2024-01-07','Kompetensmäklare Orust B','closed','');
INSERT INTO "needs" VALUES(52,14,'1421','boatbuilding','electrician','recruitment',3,'6-12','blended','upper_secondary','company_visit','2026-03-16','Kompetensmäklare Orust B','new','');
INSERT INTO "needs" VALUES(53,15,'1421','health_care','assistant_nurse','recruitment',6,'6-12','blended','upper_secondary','company_visit','2024-12-05','Kompetensmäklare Orust A','matched','');
INSERT INTO "needs" VALUES(54,16,'1421','boatbuilding','electrician','upskilling',3,'0-6','on_site','upper_secondary','company_visit','2026-01-25','Kompetensmäklare Orust B','analysed','');
INSERT INTO "needs" VALUES(55,16,'1421','boatbuilding','marine_mechanic','recruitment',3,'12-36','on_site','upper_secondary','workshop','2025-11-26','Kompetensmäklare Orust A','new','');
INSERT INTO "needs" VALUES(56,17,'1427','construction','construction_machine','upskilling',2,'0-6','blended','upper_secondary','survey','2024-10-20','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(57,17,'1427','construction','construction','upskilling',3,'6-12','distance','upper_secondary','survey','2025-05-20','Kompetensmäklare Sotenäs B','analysed','');
INSERT INTO "needs" VALUES(58,17,'1427','construction','construction_machine','upskilling',4,'6-12','blended','upper_secondary','company_visit','2026-08-15','Kompetensmäklare Sotenäs A','new','');
INSERT INTO "needs" VALUES(59,17,'1427','construction','construction','recruitment',3,'6-12','blended','upper_secondary','company_visit','2026-01-05','Kompetensmäklare Sotenäs B','analysed','');
INSERT INTO "needs" VALUES(60,18,'1427','marine_food','work_safety','upskilling',8,'12-36','blended','upper_secondary','workshop','2026-01-15','Kompetensmäklare Sotenäs A','new','');
INSERT INTO "needs" VALUES(61,18,'1427','marine_food','aquaculture','upskilling',7,'6-12','on_site','post_secondary','company_visit','2023-12-18','Kompetensmäklare Sotenäs B','in_training','');
INSERT INTO "needs" VALUES(62,19,'1427','public_admin','project_management','upskilling',2,'12-36','on_site','upper_secondary','company_visit','2026-03-29','Kompetensmäklare Sotenäs B','analysed','');
INSERT INTO "needs" VALUES(63,19,'1427','public_admin','swedish_workplace','upskilling',2,'0-6','blended','basic','workshop','2025-08-20','Kompetensmäklare Sotenäs B','analysed','');
INSERT INTO "needs" VALUES(64,19,'1427','public_admin','digital_skills','upskilling',2,'6-12','blended','upper_secondary','company_visit','2026-08-04','Kompetensmäklare Sotenäs A','new','Ny produktionslinje kräver fler behöriga operatörer.');
INSERT INTO "needs" VALUES(65,20,'1427','marine_food','forklift','recruitment',1,'6-12','on_site','upper_secondary','company_visit','2025-01-04','Kompetensmäklare Sotenäs A','matched','');
INSERT INTO "needs" VALUES(66,20,'1427','marine_food','food_technology','recruitment',2,'0-6','blended','post_secondary','company_visit','2024-02-22','Kompetensmäklare Sotenäs B','in_training','');
INSERT INTO "needs" VALUES(67,21,'1427','visitor_economy','swedish_workplace','upskilling',4,'0-6','blended','basic','company_visit','2026-01-19','Kompetensmäklare Sotenäs A','analysed','Vill kombinera studier med arbete, helst nära hemorten.');
INSERT INTO "needs" VALUES(68,21,'1427','visitor_economy','cleaning','upskilling',1,'12-36','distance','upper_secondary','company_visit','2024-01-10','Kompetensmäklare Sotenäs A','closed','');
INSERT INTO "needs" VALUES(69,22,'1427','health_care','medication_delegation','upskilling',3,'12-36','blended','upper_secondary','company_visit','2026-01-23','Kompetensmäklare Sotenäs B','analysed','');
INSERT INTO "needs" VALUES(70,22,'1427','health_care','assistant_nurse','recruitment',2,'6-12','on_site','upper_secondary','company_visit','2025-07-15','Kompetensmäklare Sotenäs A','matched','');
INSERT INTO "needs" VALUES(71,23,'1427','visitor_economy','hospitality','recruitment',3,'6-12','on_site','upper_secondary','company_visit','2024-03-16','Kompetensmäklare Sotenäs A','closed','');
INSERT INTO "needs" VALUES(72,23,'1427','visitor_economy','chef','upskilling',1,'6-12','on_site','upper_secondary','survey','2026-05-28','Kompetensmäklare Sotenäs B','new','Pensionsavgångar de närmaste två åren.');
INSERT INTO "needs" VALUES(73,24,'1427','marine_food','aquaculture','upskilling',4,'0-6','on_site','post_secondary','survey','2023-12-14','Kompetensmäklare Sotenäs B','closed','');
INSERT INTO "needs" VALUES(74,24,'1427','marine_food','swedish_workplace','upskilling',4,'12-36','distance','basic','company_visit','2026-01-23','Kompetensmäklare Sotenäs A','new','');
INSERT INTO "needs" VALUES(75,24,'1427','marine_food','aquaculture','recruitment',1,'0-6','on_site','post_secondary','survey','2024-12-17','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(76,25,'1427','marine_food','food_technology','upskilling',2,'6-12','distance','post_secondary','company_visit','2024-04-10','Kompetensmäklare Sotenäs A','closed','');
INSERT INTO "needs" VALUES(77,25,'1427','marine_food','fish_processing','upskilling',3,'12-36','on_site','upper_secondary','workshop','2025-04-19','Kompetensmäklare Sotenäs A','matched','');
INSERT INTO "needs" VALUES(78,26,'1427','marine_food','fish_processing','recruitment',1,'12-36','blended','upper_secondary','company_visit','2024-11-30','Kompetensmäklare Sotenäs A','in_training','');
INSERT INTO "needs" VALUES(79,26,'1427','marine_food','aquaculture','recruitment',1,'6-12','distance','post_secondary','workshop','2024-08-21','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(80,26,'1427','marine_food','food_hygiene','recruitment',1,'0-6','distance','upper_secondary','company_visit','2026-01-19','Kompetensmäklare Sotenäs B','new','');
INSERT INTO "needs" VALUES(81,26,'1427','marine_food','work_safety','upskilling',2,'0-6','distance','upper_secondary','survey','2026-03-13','Kompetensmäklare Sotenäs B','new','');
INSERT INTO "needs" VALUES(82,26,'1427','marine_food','aquaculture','recruitment',1,'6-12','on_site','post_secondary','survey','2025-09-04','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(83,26,'1427','marine_food','leadership','upskilling',2,'0-6','on_site','upper_secondary','survey','2025-12-24','Kompetensmäklare Sotenäs B','analysed','Ny produktionslinje kräver fler behöriga operatörer.');
INSERT INTO "needs" VALUES(84,26,'1427','marine_food','food_technology','upskilling',2,'6-12','blended','post_secondary','company_visit','2024-11-09','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(85,27,'1427','visitor_economy','swedish_workplace','upskilling',1,'12-36','distance','basic','workshop','2026-06-27','Kompetensmäklare Sotenäs B','new','Säsongstopp under sommaren; utbildning önskas under vintern.');
INSERT INTO "needs" VALUES(86,27,'1427','visitor_economy','hospitality','upskilling',2,'6-12','blended','upper_secondary','workshop','2025-02-04','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(87,27,'1427','visitor_economy','hospitality','upskilling',3,'6-12','on_site','upper_secondary','workshop','2025-12-14','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(88,28,'1427','energy_environment','sustainability','upskilling',10,'0-6','distance','upper_secondary','survey','2024-04-01','Kompetensmäklare Sotenäs B','closed','');
INSERT INTO "needs" VALUES(89,28,'1427','energy_environment','process_operator','recruitment',8,'0-6','blended','upper_secondary','survey','2025-11-01','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(90,28,'1427','energy_environment','maintenance','upskilling',7,'6-12','on_site','upper_secondary','survey','2025-12-11','Kompetensmäklare Sotenäs A','matched','');
INSERT INTO "needs" VALUES(91,28,'1427','energy_environment','process_operator','upskilling',5,'6-12','blended','upper_secondary','company_visit','2026-04-09','Kompetensmäklare Sotenäs A','new','');
INSERT INTO "needs" VALUES(92,28,'1427','energy_environment','electrical_authorisation','upskilling',8,'12-36','blended','post_secondary','company_visit','2024-05-28','Kompetensmäklare Sotenäs B','in_training','');
INSERT INTO "needs" VALUES(93,28,'1427','energy_environment','process_operator','upskilling',8,'0-6','on_site','upper_secondary','workshop','2026-09-04','Kompetensmäklare Sotenäs A','new','Pensionsavgångar de närmaste två åren.');
INSERT INTO "needs" VALUES(94,28,'1427','energy_environment','automation','upskilling',6,'0-6','on_site','post_secondary','survey','2024-07-26','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(95,28,'1427','energy_environment','sustainability','upskilling',13,'0-6','on_site','upper_secondary','company_visit','2024-10-01','Kompetensmäklare Sotenäs B','matched','');
INSERT INTO "needs" VALUES(96,29,'1427','retail','logistics','recruitment',1,'12-36','blended','upper_secondary','industry_council','2025-10-10','Kompetensmäklare Sotenäs B','analysed','');
INSERT INTO "needs" VALUES(97,29,'1427','retail','retail_sales','recruitment',2,'0-6','blended','upper_secondary','company_visit','2026-03-04','Kompetensmäklare Sotenäs A','new','');
INSERT INTO "needs" VALUES(98,30,'1430','process_industry','electrical_authorisation','recruitment',2,'0-6','on_site','post_secondary','company_visit','2025-05-11','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(99,30,'1430','process_industry','work_safety','upskilling',5,'0-6','blended','upper_secondary','workshop','2024-01-27','Kompetensmäklare Munkedal A','closed','');
INSERT INTO "needs" VALUES(100,30,'1430','process_industry','electrician','upskilling',6,'6-12','on_site','upper_secondary','industry_council','2026-04-13','Kompetensmäklare Munkedal A','new','');
INSERT INTO "needs" VALUES(101,30,'1430','process_industry','process_operator','recruitment',4,'6-12','on_site','upper_secondary','company_visit','2025-03-18','Kompetensmäklare Munkedal A','matched','');
INSERT INTO "needs" VALUES(102,30,'1430','process_industry','paper_process','recruitment',3,'6-12','on_site','upper_secondary','company_visit','2024-07-30','Kompetensmäklare Munkedal A','closed','');
INSERT INTO "needs" VALUES(103,31,'1430','manufacturing','additive_manufacturing','recruitment',6,'6-12','on_site','post_secondary','company_visit','2025-02-10','Kompetensmäklare Munkedal B','matched','');
INSERT INTO "needs" VALUES(104,31,'1430','manufacturing','welding','recruitment',4,'6-12','distance','upper_secondary','workshop','2026-03-04','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(105,31,'1430','manufacturing','welding','recruitment',7,'0-6','on_site','upper_secondary','workshop','2025-06-22','Kompetensmäklare Munkedal A','analysed','');
INSERT INTO "needs" VALUES(106,31,'1430','manufacturing','forklift','recruitment',5,'6-12','blended','upper_secondary','workshop','2024-05-12','Kompetensmäklare Munkedal B','closed','');
INSERT INTO "needs" VALUES(107,32,'1430','transport','bus_driver','recruitment',2,'12-36','on_site','upper_secondary','company_visit','2024-11-13','Kompetensmäklare Munkedal A','matched','');
INSERT INTO "needs" VALUES(108,32,'1430','transport','forklift','upskilling',1,'6-12','on_site','upper_secondary','survey','2024-04-04','Kompetensmäklare Munkedal A','closed','');
INSERT INTO "needs" VALUES(109,33,'1430','agriculture','agriculture','recruitment',2,'0-6','on_site','upper_secondary','company_visit','2026-07-21','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(110,33,'1430','agriculture','agriculture','upskilling',3,'6-12','on_site','upper_secondary','company_visit','2025-04-16','Kompetensmäklare Munkedal B','in_training','');
INSERT INTO "needs" VALUES(111,33,'1430','agriculture','food_hygiene','upskilling',3,'6-12','on_site','upper_secondary','survey','2025-11-11','Kompetensmäklare Munkedal A','analysed','');
INSERT INTO "needs" VALUES(112,33,'1430','agriculture','agriculture','upskilling',1,'6-12','blended','upper_secondary','survey','2025-10-25','Kompetensmäklare Munkedal B','analysed','Flera företag i kommunen har samma behov.');
INSERT INTO "needs" VALUES(113,33,'1430','agriculture','agriculture','upskilling',3,'0-6','blended','upper_secondary','company_visit','2026-01-23','Kompetensmäklare Munkedal B','analysed','');
INSERT INTO "needs" VALUES(114,34,'1430','process_industry','maintenance','recruitment',2,'12-36','blended','upper_secondary','survey','2025-03-31','Kompetensmäklare Munkedal A','matched','');
INSERT INTO "needs" VALUES(115,34,'1430','process_industry','work_safety','upskilling',3,'12-36','on_site','upper_secondary','survey','2025-10-06','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(116,34,'1430','process_industry','electrician','recruitment',2,'6-12','blended','upper_secondary','survey','2024-06-05','Kompetensmäklare Munkedal A','in_training','');
INSERT INTO "needs" VALUES(117,35,'1430','process_industry','maintenance','upskilling',4,'12-36','blended','upper_secondary','industry_council','2025-04-11','Kompetensmäklare Munkedal B','matched','Säsongstopp under sommaren; utbildning önskas under vintern.');
INSERT INTO "needs" VALUES(118,35,'1430','process_industry','process_operator','upskilling',2,'0-6','on_site','upper_secondary','company_visit','2026-02-20','Kompetensmäklare Munkedal B','analysed','');
INSERT INTO "needs" VALUES(119,35,'1430','process_industry','automation','upskilling',2,'6-12','blended','post_secondary','company_visit','2024-09-11','Kompetensmäklare Munkedal A','in_training','');
INSERT INTO "needs" VALUES(120,35,'1430','process_industry','process_operator','upskilling',2,'12-36','on_site','upper_secondary','company_visit','2025-05-11','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(121,36,'1430','transport','truck_driver','recruitment',7,'12-36','blended','upper_secondary','workshop','2026-08-09','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(122,36,'1430','transport','forklift','upskilling',7,'0-6','on_site','upper_secondary','survey','2026-05-20','Kompetensmäklare Munkedal A','new','');
INSERT INTO "needs" VALUES(123,36,'1430','transport','truck_driver','recruitment',4,'0-6','distance','upper_secondary','company_visit','2024-01-25','Kompetensmäklare Munkedal A','closed','');
INSERT INTO "needs" VALUES(124,37,'1430','health_care','nurse','recruitment',1,'0-6','on_site','higher','workshop','2025-10-28','Kompetensmäklare Munkedal A','analysed','');
INSERT INTO "needs" VALUES(125,37,'1430','health_care','dementia_care','upskilling',3,'12-36','blended','upper_secondary','workshop','2026-06-15','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(126,37,'1430','health_care','dementia_care','upskilling',5,'12-36','on_site','upper_secondary','workshop','2025-11-11','Kompetensmäklare Munkedal A','new','');
INSERT INTO "needs" VALUES(127,37,'1430','health_care','medication_delegation','upskilling',4,'0-6','distance','upper_secondary','survey','2025-08-26','Kompetensmäklare Munkedal B','analysed','');
INSERT INTO "needs" VALUES(128,37,'1430','health_care','assistant_nurse','upskilling',2,'6-12','blended','upper_secondary','company_visit','2024-06-22','Kompetensmäklare Munkedal A','in_training','');
INSERT INTO "needs" VALUES(129,37,'1430','health_care','nurse','recruitment',2,'12-36','on_site','higher','workshop','2025-09-18','Kompetensmäklare Munkedal A','matched','');
INSERT INTO "needs" VALUES(130,38,'1430','process_industry','automation','recruitment',4,'6-12','distance','post_secondary','survey','2025-05-19','Kompetensmäklare Munkedal B','analysed','');
INSERT INTO "needs" VALUES(131,38,'1430','process_industry','work_safety','upskilling',4,'6-12','blended','upper_secondary','company_visit','2026-03-08','Kompetensmäklare Munkedal A','analysed','');
INSERT INTO "needs" VALUES(132,39,'1430','retail','leadership','upskilling',2,'12-36','on_site','upper_secondary','workshop','2026-04-29','Kompetensmäklare Munkedal A','new','Flera företag i kommunen har samma behov.');
INSERT INTO "needs" VALUES(133,39,'1430','retail','retail_sales','upskilling',2,'0-6','blended','upper_secondary','survey','2025-06-25','Kompetensmäklare Munkedal B','matched','');
INSERT INTO "needs" VALUES(134,39,'1430','retail','retail_sales','recruitment',2,'12-36','on_site','upper_secondary','workshop','2024-07-27','Kompetensmäklare Munkedal B','closed','');
INSERT INTO "needs" VALUES(135,39,'1430','retail','retail_sales','upskilling',1,'6-12','on_site','upper_secondary','survey','2025-05-17','Kompetensmäklare Munkedal B','analysed','');
INSERT INTO "needs" VALUES(136,39,'1430','retail','retail_sales','recruitment',2,'12-36','blended','upper_secondary','company_visit','2025-12-21','Kompetensmäklare Munkedal B','new','');
INSERT INTO "needs" VALUES(137,40,'1430','manufacturing','quality_lean','upskilling',8,'0-6','on_site','upper_secondary','company_visit','2024-04-10','Kompetensmäklare Munkedal B','in_training','');
INSERT INTO "needs" VALUES(138,40,'1430','manufacturing','electrician','upskilling',12,'0-6','distance','upper_secondary','workshop','2024-12-13','Kompetensmäklare Munkedal B','in_training','');
CREATE TABLE offers (
	offer_id VARCHAR(40) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	provider VARCHAR(200) NOT NULL, 
	provider_type VARCHAR(20) NOT NULL, 
	competence VARCHAR(40) NOT NULL, 
	place_id VARCHAR(20) NOT NULL, 
	centre_id VARCHAR(40) NOT NULL, 
	form VARCHAR(20) NOT NULL, 
	seats INTEGER NOT NULL, 
	start DATE, 
	weeks INTEGER, 
	pace_pct INTEGER NOT NULL, 
	is_real BOOLEAN NOT NULL, 
	source TEXT NOT NULL, 
	PRIMARY KEY (offer_id)
);
INSERT INTO "offers" VALUES('myh-2024-3281','Advanced Software Developer Embedded Systems','YH Akademin AB','yh','software_development','gn2667303','','on_site',28,NULL,80,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3281; granted 3 rounds, 400 YH points; study place Trollhättan; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-3904','Digital butiksledare','Uddevalla kommun, Uddevalla Yrkeshögskola','yh','retail_sales','gn2666670','','distance',25,NULL,40,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3904; granted 2 rounds, 200 YH points; study place Uddevalla, distance; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-3327','Payroll Controller','Plushögskolan AB - Affärshögskolan Väst','yh','accounting_payroll','gn2666670','','on_site',35,NULL,86,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3327; granted 3 rounds, 430 YH points; study place Uddevalla; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-3295','Gastronomiledare - framtidens mat och protein','YH Akademin AB','yh','chef','gn2693301','','distance',23,NULL,40,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3295; granted 3 rounds, 200 YH points; study places Gotland, Strängnäs, Lysekil, distance; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-3867','Socialpedagog','YH Akademin AB','yh','','gn2667303','','distance',35,NULL,80,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3867; granted 3 rounds, 400 YH points; study place Trollhättan, distance; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-3785','Akvaponiingenjör','Väddö folkhögskola','yh','aquaculture','gn2693301','','distance',32,NULL,80,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3785; granted 3 rounds, 400 YH points; study places Norrtälje, Härnösand, Lysekil, distance; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-4031','Produktionsledare och planerare för cirkulär produktion','Amsac Kompetenspartner YH AB','yh','sustainability','gn2667303','','distance',24,NULL,42,100,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/4031; granted 3 rounds, 210 YH points; study places Vindeln, Trollhättan, distance; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('myh-2024-3683','Auktoriserad Elinstallatör','Nercia Utbildning','yh','electrical_authorisation','gn2667303','','distance',35,NULL,48,50,1,'MYH "resultat-ansokningsomgang-2024.xlsx", Tabell 3/4 (MYH 2024/3683; granted 4 rounds, 120 YH points at 50 % pace; study place Trollhättan, distance; verified, official MYH file, secondary copy)');
INSERT INTO "offers" VALUES('demo-001','Exempelkurs: Digital kompetens','Exempel Uppdragsutbildning Trollhättan','contract','digital_skills','gn2667303','kfv-trollhattan','blended',20,'2027-07-30',4,50,0,'Exempeldata: generated by Kompetenskartan''s demo generator (data/demo_offers.py)');
INSERT INTO "offers" VALUES('demo-002','Exempelkurs: CNC-operatör','Exempel Komvux Trollhättan','komvux','cnc','gn2667303','kfv-trollhattan','blended',13,'2027-07-02',34,100,0,'Exempeldata: generated by Kompetenskartan''s demo generator (data/demo_offers.py)');
INSERT INTO "offers" VALUES('demo-003','Exempelkurs: Ledarskap','Exempel Uppdragsutbildning Trollhättan','contract','leadership','gn2667303','kfv-trollhattan','on_site',14,'2027-08-11',3,50,0,'Exempeldata: generated by Kompetenskartan''s demo generator (data/demo_offers.py)');
INSERT INTO "offers" VALUES('demo-004','Exempelkurs: Anläggningsmaskinförare','Exempel Komvux Trollhättan','komvux','construction_machine','gn2667303','kfv-trollhattan','blended',6,'2027-07-19',27,50,0,'Exempeldata: generated by Kompetenskartan''s demo generator (data/demo_offers.py)');
CREATE TABLE travel_matrix (
	from_id VARCHAR(20) NOT NULL, 
	to_id VARCHAR(20) NOT NULL, 
	from_name VARCHAR(100) NOT NULL, 
	to_name VARCHAR(100) NOT NULL, 
	km_road FLOAT NOT NULL, 
	minutes_car FLOAT NOT NULL, 
	minutes_pt FLOAT NOT NULL, 
	PRIMARY KEY (from_id, to_id)
);
INSERT INTO "travel_matrix" VALUES('p1','p2','A','B',1.0,2.0,3.0);
CREATE TABLE users (
	email VARCHAR(254) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	municipalities VARCHAR(400) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	PRIMARY KEY (email)
);
INSERT INTO "users" VALUES('admin@demo.invalid','admin','','Exempel Administratör');
INSERT INTO "users" VALUES('maklare.sotenas@demo.invalid','broker','1427,1435','Exempel Mäklare Sotenäs/Tanum');
INSERT INTO "users" VALUES('maklare.trollhattan@demo.invalid','broker','1488','Exempel Mäklare Trollhättan');
INSERT INTO "users" VALUES('politiker@demo.invalid','viewer','','Exempel Politiker');
CREATE INDEX ix_companies_municipality_code ON companies (municipality_code);
CREATE INDEX ix_offers_competence ON offers (competence);
CREATE INDEX ix_needs_company_id ON needs (company_id);
CREATE INDEX ix_needs_collected_on ON needs (collected_on);
CREATE INDEX ix_needs_competence ON needs (competence);
CREATE INDEX ix_needs_municipality_code ON needs (municipality_code);
COMMIT;
